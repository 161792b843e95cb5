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
