using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MonEspaceSante.Hosting;
using MonEspaceSante.Notifications;
using MonEspaceSante.Runtime;
using MonEspaceSante.Storage;
using MonEspaceSante.Tests.Infrastructure;
using Npgsql;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime.Hosting;
using Orleans.TestingHost;

namespace MonEspaceSante.Tests.Grains;

/// <summary>
/// Grains on a real two-silo Orleans cluster (Microsoft.Orleans.TestingHost, in process) whose
/// membership and grain state are in PostgreSQL, through the platform's clustering tables and
/// <see cref="GrainStateStorage"/>.
/// </summary>
public sealed class TransactionalGrainClusterTests : IAsyncLifetime
{
    private readonly TestPostgres postgres = new();
    private TestCluster cluster = null!;

    public async Task InitializeAsync()
    {
        await postgres.InitializeAsync();
        await using (var database = new PostgresDatabase(NpgsqlDataSource.Create(postgres.ConnectionString)))
        {
            await new Migrator(database, TimeProvider.System, NullLogger<Migrator>.Instance).MigrateAsync();
        }

        var builder = new TestClusterBuilder(2);
        builder.Options.UseTestClusterMembership = false;
        builder.ConfigureHostConfiguration(c => c.AddInMemoryCollection(new Dictionary<string, string?> { ["Test:ConnectionString"] = postgres.ConnectionString }));
        builder.AddSiloBuilderConfigurator<PostgresSilo>();
        builder.AddClientBuilderConfigurator<PostgresClient>();
        cluster = builder.Build();
        await cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await cluster.StopAllSilosAsync();
        await cluster.DisposeAsync();
        await postgres.DisposeAsync();
    }

    private async Task<long> CountRowsAsync(string sql, Guid id)
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        return await connection.ExecuteScalarAsync<long>(sql, new { id = id.ToString() });
    }

    [Fact]
    public async Task Concurrent_calls_to_one_grain_each_commit_their_state_and_their_notification_once()
    {
        var id = Guid.NewGuid();
        var grain = cluster.GrainFactory.GetGrain<ICounterGrain>(id);

        var replies = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => grain.IncrementAsync()));

        replies.Select(r => r.Count).Should().BeEquivalentTo(Enumerable.Range(1, 50), "one activation runs one call at a time");
        (await CountRowsAsync("select count(*) from notifications where recipient_id = @id", id)).Should().Be(50);
        (await CountRowsAsync("select version from grains where grain_type = 'counter' and grain_id = @id", id)).Should().Be(50);
    }

    [Fact]
    public async Task A_call_that_fails_after_changing_its_state_leaves_neither_state_nor_rows()
    {
        var id = Guid.NewGuid();
        var grain = cluster.GrainFactory.GetGrain<ICounterGrain>(id);
        await grain.IncrementAsync();

        var failing = () => grain.IncrementThenFailAsync();
        await failing.Should().ThrowAsync<InvalidOperationException>();

        (await grain.ReadAsync()).Count.Should().Be(1, "the activation's memory is put back as stored");
        (await grain.IncrementAsync()).Count.Should().Be(2);
        (await CountRowsAsync("select count(*) from notifications where recipient_id = @id", id)).Should().Be(2);
    }

    [Fact]
    public async Task A_failure_after_commit_keeps_what_was_written_and_reaches_the_caller_as_the_same_domain_error()
    {
        var grain = cluster.GrainFactory.GetGrain<ICounterGrain>(Guid.NewGuid());

        var refused = () => grain.IncrementThenRefuseAfterCommitAsync();

        (await refused.Should().ThrowAsync<MonEspaceSante.Errors.DomainException>()).Which.Error.Should().Be(MonEspaceSante.Errors.DomainError.TooManyAttempts);
        (await grain.ReadAsync()).Count.Should().Be(1);
        (await grain.IncrementAsync()).Count.Should().Be(2);
    }

    [Fact]
    public async Task When_the_silo_holding_a_grain_is_killed_it_comes_back_on_the_survivor_with_every_acknowledged_write()
    {
        var id = Guid.NewGuid();
        var grain = cluster.GrainFactory.GetGrain<ICounterGrain>(id);
        CounterReply last = null!;
        for (var i = 0; i < 20; i++)
        {
            last = await grain.IncrementAsync();
        }

        var holder = cluster.Silos.Single(s => s.SiloAddress.ToString() == last.Silo || last.Silo.Contains(s.SiloAddress.ToString(), StringComparison.Ordinal));
        await cluster.KillSiloAsync(holder);
        var survivor = cluster.Silos.Single(s => s != holder);
        var client = cluster.Client;

        var watch = System.Diagnostics.Stopwatch.StartNew();
        CounterReply after = null!;
        while (true)
        {
            try
            {
                after = await client.GetGrain<ICounterGrain>(id).IncrementAsync().WaitAsync(TimeSpan.FromSeconds(10));
                break;
            }
            catch (Exception) when (watch.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(200);
            }
        }

        after.Count.Should().Be(21, "every acknowledged write was committed before it was acknowledged");
        after.Silo.Should().Contain(survivor.SiloAddress.ToString());
        (await CountRowsAsync("select count(*) from notifications where recipient_id = @id", id)).Should().Be(21);
    }

    [Fact]
    public async Task When_the_silo_holding_a_hot_grain_is_killed_mid_burst_every_acknowledged_write_is_present_once()
    {
        var id = Guid.NewGuid();
        var first = await cluster.GrainFactory.GetGrain<ICounterGrain>(id).IncrementAsync();
        var holder = cluster.Silos.Single(s => first.Silo.Contains(s.SiloAddress.ToString(), StringComparison.Ordinal));
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<int> { first.Count };
        var failures = 0;
        using var stop = new CancellationTokenSource();

        // Eight writers, flat out, through the external client: the burst is running when the
        // holder dies, so some calls are in flight (sent, maybe committed, never acknowledged).
        async Task WriteAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    acknowledged.Add((await cluster.Client.GetGrain<ICounterGrain>(id).IncrementAsync().WaitAsync(TimeSpan.FromSeconds(10))).Count);
                }
                catch (Exception)
                {
                    // Lost with the silo, or still waiting when the burst ended: maybe committed,
                    // never acknowledged; the database says which.
                    Interlocked.Increment(ref failures);
                    await Task.Delay(100, CancellationToken.None);
                }
            }
        }

        var writers = Enumerable.Range(0, 8).Select(_ => Task.Run(WriteAsync)).ToList();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (acknowledged.Count < 100 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        var beforeKill = acknowledged.Count;
        beforeKill.Should().BeGreaterThanOrEqualTo(100, "the burst is under way before the kill");
        await cluster.KillSiloAsync(holder);
        deadline = DateTime.UtcNow.AddSeconds(60);
        while (acknowledged.Count < beforeKill + 100 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        await stop.CancelAsync();
        await Task.WhenAll(writers);
        acknowledged.Count.Should().BeGreaterThanOrEqualTo(beforeKill + 100, "the grain came back on the survivor and the burst went on");

        // Each acknowledged write answered a count no other write answered, and its notification
        // (written in the same transaction as the state) is there exactly once.
        acknowledged.Should().OnlyHaveUniqueItems();
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        var counted = (await connection.QueryAsync<string>(
            "select cast(payload as text) from notifications where recipient_id = @id and kind = 'counter.counted'", new { id = id.ToString() }))
            .Select(p => System.Text.Json.JsonDocument.Parse(p).RootElement.GetProperty("count").GetInt32()).ToList();
        counted.Should().OnlyHaveUniqueItems("no write was committed twice");
        counted.Should().Contain(acknowledged, "every acknowledged write is in the database");
        var version = await CountRowsAsync("select version from grains where grain_type = 'counter' and grain_id = @id", id);
        counted.Should().HaveCount((int)version, $"the state's version counts exactly the committed writes, acknowledged or among the {failures} lost in flight");
        counted.Should().BeEquivalentTo(Enumerable.Range(1, (int)version), "the committed counts have no gap");
    }

    /// <summary>The test's external client finds the silos' gateways in the same membership table.</summary>
    private sealed class PostgresClient : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = configuration["Test:ConnectionString"]!;
            });
    }

    private sealed class PostgresSilo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var connectionString = siloBuilder.Configuration["Test:ConnectionString"]!;
            siloBuilder.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connectionString;
            });
            siloBuilder.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(2);
                o.NumMissedProbesLimit = 3;
            });
            var services = siloBuilder.Services;
            services.AddSingleton<IDatabase>(_ => new PostgresDatabase(NpgsqlDataSource.Create(connectionString)));
            services.AddKeyedSingleton(PlatformClock.Key, TimeProvider.System);
            services.AddSingleton<FeedSignal>();
            services.AddSingleton<GrainJson>();
            services.AddSingleton<GrainCalls>();
            services.AddGrainStorage(GrainStateStorage.ProviderName, (sp, _) => new GrainStateStorage(
                sp.GetRequiredService<IDatabase>(), sp.GetRequiredService<GrainJson>().Options, TimeProvider.System));
        }
    }
}
