using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MonEspaceSante.Hosting;
using MonEspaceSante.Runtime;
using MonEspaceSante.Storage;
using Npgsql;

namespace MonEspaceSante.Bench;

/// <summary>
/// The grain runtime's own cost on PostgreSQL, at concurrency 16 over 1,000 grains of a real
/// silo: a state-changing call that awaits its version-checked write (in its transaction)
/// against the same write done with Npgsql alone (open, begin, the same update with its version
/// check, commit), and a read-only call to an active grain against a select of the same row.
/// Both baselines run in the same process, on the same database, right after the grain runs.
/// </summary>
internal static class GrainsBenchmark
{
    private const int Grains = 1000;
    private const int Concurrency = 16;

    public static async Task<int> RunAsync(int calls)
    {
        var admin = Environment.GetEnvironmentVariable("MES_TEST_PG") ?? throw new InvalidOperationException("MES_TEST_PG is not set (use tests/bench.sh).");
        var database = "mes_bench_" + Guid.NewGuid().ToString("N")[..12];
        await BenchDatabase.ExecuteAsync(admin, $"create database {database}");
        var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = database, MaxPoolSize = 100 }.ConnectionString;
        var work = Directory.CreateTempSubdirectory("mes-bench-").FullName;
        try
        {
            var builder = WebApplication.CreateBuilder();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:ConnectionString"] = connectionString,
                ["Storage:DataPath"] = Path.Combine(work, "data"),
                ["Keys:MasterKeyFile"] = Path.Combine(work, "master.key"),
                ["Keys:CreateIfMissing"] = "true",
                ["Jobs:Enabled"] = "false",
                ["Lifecycle:Enabled"] = "false",
                ["Content:SweeperEnabled"] = "false",
                ["Notifications:AlertsEnabled"] = "false",
                ["Notifications:PruneEnabled"] = "false",
                ["Orleans:SiloPort"] = "0",
            });
            builder.Logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Warning);
            builder.AddMonEspaceSanteSilo();
            await using var app = builder.Build();
            await app.StartAsync();
            var factory = app.Services.GetRequiredService<IGrainFactory>();
            var ids = Enumerable.Range(0, Grains).Select(_ => Guid.NewGuid()).ToArray();

            // Every grain written once and active before timing.
            await Task.WhenAll(ids.Select(id => factory.GetGrain<IBenchCounterGrain>(id).IncrementAsync()));
            Task GrainWriteAsync(int i) => factory.GetGrain<IBenchCounterGrain>(ids[i % Grains]).IncrementAsync();
            Task GrainReadAsync(int i) => factory.GetGrain<IBenchCounterGrain>(ids[i % Grains]).ReadAsync();

            var dataSource = ((PostgresDatabase)app.Services.GetRequiredService<IDatabase>()).DataSource;
            var rawIds = ids.Select(id => id.ToString()).ToArray();
            var versions = new long[Grains];
            await using (var connection = await dataSource.OpenConnectionAsync())
            {
                await using var copy = new NpgsqlCommand(
                    "insert into grains (grain_type, grain_id, version, state, updated_at_ms) select 'raw', id, 1, '{\"count\":1}'::json, 0 from unnest(@ids) id", connection);
                copy.Parameters.AddWithValue("ids", rawIds);
                await copy.ExecuteNonQueryAsync();
            }

            Array.Fill(versions, 1);
            async Task RawWriteAsync(int i)
            {
                var slot = i % Grains;
                // Concurrency 16 over 1,000 rows: two workers rarely hold the same slot, and when
                // they do the version check refuses one, as the grain's storage would.
                var version = Interlocked.Read(ref versions[slot]);
                await using var connection = await dataSource.OpenConnectionAsync();
                await using var transaction = await connection.BeginTransactionAsync();
                await using var command = new NpgsqlCommand(
                    "update grains set version = @next, state = cast(@state as json), status = null, due_at_ms = null, updated_at_ms = @now where grain_type = 'raw' and grain_id = @id and version = @version",
                    connection, transaction);
                command.Parameters.AddWithValue("next", version + 1);
                command.Parameters.AddWithValue("state", "{\"count\":" + (version + 1).ToString(CultureInfo.InvariantCulture) + "}");
                command.Parameters.AddWithValue("now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                command.Parameters.AddWithValue("id", rawIds[slot]);
                command.Parameters.AddWithValue("version", version);
                if (await command.ExecuteNonQueryAsync() == 1)
                {
                    await transaction.CommitAsync();
                    Interlocked.CompareExchange(ref versions[slot], version + 1, version);
                }
            }

            async Task RawReadAsync(int i)
            {
                await using var connection = await dataSource.OpenConnectionAsync();
                await using var command = new NpgsqlCommand("select version, cast(state as text) from grains where grain_type = 'raw' and grain_id = @id", connection);
                command.Parameters.AddWithValue("id", rawIds[i % Grains]);
                await using var reader = await command.ExecuteReaderAsync();
                await reader.ReadAsync();
                _ = reader.GetString(1);
            }

            // Each path warmed up alike before any is measured (JIT tiers, pools, prepared statements).
            foreach (var path in new Func<int, Task>[] { GrainWriteAsync, GrainReadAsync, RawWriteAsync, RawReadAsync })
            {
                await BenchLoad.WarmUpAsync(Math.Min(calls, 2000), BenchLoad.WarmUpTime, Concurrency, path);
            }

            var (writeSeconds, _) = await BenchLoad.RunConcurrentAsync(calls, Concurrency, GrainWriteAsync);
            var (readSeconds, _) = await BenchLoad.RunConcurrentAsync(calls, Concurrency, GrainReadAsync);
            var (rawWriteSeconds, _) = await BenchLoad.RunConcurrentAsync(calls, Concurrency, RawWriteAsync);
            var (rawReadSeconds, _) = await BenchLoad.RunConcurrentAsync(calls, Concurrency, RawReadAsync);

            var writes = calls / writeSeconds;
            var reads = calls / readSeconds;
            var rawWrites = calls / rawWriteSeconds;
            var rawReads = calls / rawReadSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"writes: grain {writes:F0}/s, raw update {rawWrites:F0}/s; reads: active grain {reads:F0}/s, raw select {rawReads:F0}/s (concurrency {Concurrency}, {Grains} grains, {calls} calls each)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"grains calls_per_s={writes:F0} write_ratio={writes / rawWrites:F2} read_ratio={reads / rawReads:F2}"));
            await app.StopAsync();
            return 0;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await BenchDatabase.ExecuteAsync(admin, $"drop database if exists {database} with (force)");
            Directory.Delete(work, recursive: true);
        }
    }
}

[Alias("mes.bench.IBenchCounterGrain")]
public interface IBenchCounterGrain : IGrainWithGuidKey
{
    [Alias("Increment")]
    Task<int> IncrementAsync();

    [Alias("Read")]
    Task<int> ReadAsync();
}

public sealed class BenchCounterState
{
    public int Count { get; set; }
}

/// <summary>The smallest grain on the platform's transactional base: one counter, written per call.</summary>
public sealed class BenchCounterGrain([PersistentState("bench-counter", GrainStateStorage.ProviderName)] IPersistentState<BenchCounterState> state, GrainCalls calls)
    : TransactionalGrain<BenchCounterState>(state, calls), IBenchCounterGrain
{
    public Task<int> IncrementAsync() =>
        CallAsync(ctx =>
        {
            var counter = ctx.State ?? new BenchCounterState();
            counter.Count++;
            ctx.Write(counter, null, null);
            return Task.FromResult(counter.Count);
        });

    public Task<int> ReadAsync() => Task.FromResult(Stored?.Count ?? 0);
}
