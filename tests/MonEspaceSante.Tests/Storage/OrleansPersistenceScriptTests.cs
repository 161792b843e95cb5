using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using MonEspaceSante.Storage;
using MonEspaceSante.Tests.Infrastructure;
using Npgsql;
using Orleans.Hosting;
using Orleans.Storage;

namespace MonEspaceSante.Tests.Storage;

/// <summary>
/// The stock ADO.NET grain storage (Microsoft.Orleans.Persistence.AdoNet) on the vendored
/// PostgreSQL script (migration 0012): racing first writes of one grain, as two activations
/// make while the cluster heals a split, leave one state and one winner, the others told
/// their write lost (InconsistentStateException), not a second row.
/// </summary>
public sealed class OrleansPersistenceScriptTests : IAsyncLifetime
{
    private const string ProviderName = "stock-adonet";
    private readonly TestPostgres postgres = new();
    private IHost host = null!;

    public async Task InitializeAsync()
    {
        await postgres.InitializeAsync();
        await using (var database = new PostgresDatabase(NpgsqlDataSource.Create(postgres.ConnectionString)))
        {
            await new Migrator(database, TimeProvider.System, NullLogger<Migrator>.Instance).MigrateAsync();
        }

        var port = Random.Shared.Next(20_000, 40_000);
        host = Host.CreateDefaultBuilder()
            .UseOrleans(silo => silo
                .UseLocalhostClustering(siloPort: port, gatewayPort: port + 1)
                // Plain JSON, as every state of the platform is stored: never Newtonsoft's type names.
                .UseSystemTextJsonGrainStorageSerializer()
                .AddAdoNetGrainStorage(ProviderName, o =>
                {
                    o.Invariant = "Npgsql";
                    o.ConnectionString = postgres.ConnectionString;
                }))
            .Build();
        await host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
        await postgres.DisposeAsync();
    }

    public sealed class Counter
    {
        public int Value { get; set; }
    }

    [Fact]
    public async Task Racing_first_writes_of_a_grain_leave_one_row_and_one_winner()
    {
        const int Grains = 100;
        const int Writers = 8;
        var storage = host.Services.GetRequiredKeyedService<IGrainStorage>(ProviderName);
        var ids = Enumerable.Range(0, Grains).Select(_ => GrainId.Create("counter", Guid.NewGuid().ToString("N"))).ToArray();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var outcomes = ids.SelectMany(id => Enumerable.Range(1, Writers).Select(value => Task.Run(async () =>
        {
            await start.Task;
            var state = new GrainState<Counter>(new Counter { Value = value });
            try
            {
                await storage.WriteStateAsync("state", id, state);
                return (Id: id, Won: true, Value: value, Error: (Exception?)null);
            }
            catch (Exception exception)
            {
                return (Id: id, Won: false, Value: value, Error: exception);
            }
        }))).ToList();
        start.SetResult();
        var results = await Task.WhenAll(outcomes);

        results.Where(r => r.Error is not null && r.Error is not InconsistentStateException).Should().BeEmpty("a lost race is a version conflict, not a database error");
        results.GroupBy(r => r.Id).Should().AllSatisfy(g => g.Count(r => r.Won).Should().Be(1, "exactly one first write of a grain wins"));
        await using (var connection = new NpgsqlConnection(postgres.ConnectionString))
        {
            (await connection.ExecuteScalarAsync<long>("select count(*) from orleansstorage")).Should().Be(Grains, "one row per grain");
        }

        await using (var connection = new NpgsqlConnection(postgres.ConnectionString))
        {
            var payload = await connection.ExecuteScalarAsync<byte[]>("select payloadbinary from orleansstorage limit 1");
            System.Text.Encoding.UTF8.GetString(payload!).Should().MatchRegex("^\\{\"Value\":[1-8]\\}$", "the state is plain JSON");
        }

        foreach (var winner in results.Where(r => r.Won).Take(10))
        {
            var read = new GrainState<Counter>();
            await storage.ReadStateAsync("state", winner.Id, read);
            read.RecordExists.Should().BeTrue();
            read.State!.Value.Should().Be(winner.Value, "the stored state is the winner's");
        }

        // The winner's next write (with the version it got) succeeds; a loser's stale first write still loses.
        var first = results.First(r => r.Won);
        var current = new GrainState<Counter>();
        await storage.ReadStateAsync("state", first.Id, current);
        current.State!.Value = 42;
        await storage.WriteStateAsync("state", first.Id, current);
        var stale = new GrainState<Counter>(new Counter { Value = -1 });
        await FluentActions.Awaiting(() => storage.WriteStateAsync("state", first.Id, stale)).Should().ThrowAsync<InconsistentStateException>();
    }
}
