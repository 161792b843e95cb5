using Orleans;
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MonEspaceSante.Api;
using MonEspaceSante.Api.Realtime;
using MonEspaceSante.Hosting;
using MonEspaceSante.Identity;
using MonEspaceSante.Spaces;
using Npgsql;

namespace MonEspaceSante.Bench;

/// <summary>
/// Live notifications end to end: C patients each hold one SignalR connection (in a child
/// process, over loopback, authenticated by a ticket) while real grain calls notify them at R
/// events a second, open loop. Measures commit-to-receive latency (the client's arrival time
/// minus the time the grain call returned, both on this machine's wall clock), the share
/// delivered, and the server's memory per 1,000 connections (this process alone).
/// </summary>
internal static class RealtimeBenchmark
{
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromMinutes(5);

    public static async Task<int> RunAsync(int clients, int eventsPerSecond, int seconds)
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
                // Twenty professionals read thousands of spaces: the guard runs but must not refuse.
                ["Access:MaxSpacesPerHour"] = "100000000",
                // Every ticket is issued before the clients start connecting.
                ["Realtime:TicketLifetime"] = "00:10:00",
            });
            builder.Logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Warning);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var clock = new ShiftedTimeProvider();
            builder.Services.AddKeyedSingleton<TimeProvider>(PlatformClock.Key, clock);
            builder.AddMonEspaceSanteSilo();
            builder.Services.AddMonEspaceSanteApi(builder.Configuration);
            await using var app = builder.Build();
            app.UseMonEspaceSanteApi();
            app.MapMonEspaceSanteApi();
            await app.StartAsync();

            var setup = Stopwatch.StartNew();
            var population = await RealtimePopulation.PrepareAsync(app.Services, connectionString, work, clock, clients);
            Print($"prepared {clients} active patients, each authorising one of 20 professionals, in {setup.Elapsed.TotalSeconds:F1} s");

            var tickets = app.Services.GetRequiredService<RealtimeTickets>();
            var ticketsFile = Path.Combine(work, "tickets.txt");
            await File.WriteAllLinesAsync(ticketsFile, population.Patients.Select(p => tickets.Issue(Caller.Patient(p)).Ticket));
            var resultsFile = Path.Combine(work, "received.txt");
            var hubUrl = new Uri(new Uri(app.Urls.First()), NotificationHub.Path);

            var before = ServerMemory.Measure();
            await using var child = RealtimeClientProcess.Start(hubUrl, ticketsFile, resultsFile);
            var connected = await child.ReadLineAsync(ConnectTimeout);
            var live = app.Services.GetRequiredService<LiveFeed>();
            for (var wait = 0; wait < 100 && live.Count < clients; wait++)
            {
                await Task.Delay(100);
            }

            Print($"clients: {connected}; hub subscriptions {live.Count}");
            await Task.Delay(1000);
            var after = ServerMemory.Measure();
            Print($"server memory: GC heap {Mib(before.Heap)} -> {Mib(after.Heap)} MiB, working set {Mib(before.WorkingSet)} -> {Mib(after.WorkingSet)} MiB; per 1,000 connections: GC heap {PerThousand(after.Heap - before.Heap, clients)} MiB (of which pinned I/O buffers {PerThousand(after.Pinned - before.Pinned, clients)} MiB), working set {PerThousand(after.WorkingSet - before.WorkingSet, clients)} MiB");

            var events = new RealtimeEvents(app.Services.GetRequiredService<IGrainFactory>(), population);
            // Warm-up, not measured: JIT tiers, pools, prepared statements, the relay and the pushes.
            await OpenLoad.RunAsync(Math.Min(eventsPerSecond * 3, 3000), eventsPerSecond, events.RaiseAsync);
            await Task.Delay(2000);
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            var heads = await FeedHeadsAsync(dataSource, population);
            events.Reset();
            // Every tenth recipient also heard in process, to tell the relay's share from the push's.
            var probe = new RelayProbe(live, population.Patients.Where((_, i) => i % 10 == 0).Select(p => p.ToString()));

            var total = eventsPerSecond * seconds;
            var scheduling = new SchedulingProbe();
            var serverCpu = CpuTime();
            var clientsCpu = child.ProcessorTime;
            var startSeconds = await OpenLoad.RunAsync(total, eventsPerSecond, events.RaiseAsync);
            var committed = events.Committed;
            scheduling.Dispose();
            Print($"thread pool queueing in the server during the events: p50 {Percentile(scheduling.DelaysMs, 0.5):F1} ms, p99 {Percentile(scheduling.DelaysMs, 0.99):F1} ms, max {Percentile(scheduling.DelaysMs, 1):F1} ms");
            Print($"CPU during the events, in cores: server {(CpuTime() - serverCpu).TotalSeconds / startSeconds:F2}, clients {(child.ProcessorTime - clientsCpu).TotalSeconds / startSeconds:F2} (of 2; PostgreSQL and anything else on the machine use the rest)");
            Print($"events: {total} started in {startSeconds:F1} s, {committed} committed ({committed / startSeconds:F0}/s), {events.Errors} failed, {events.Skipped} skipped; grain call p50 {Percentile(events.CallMs, 0.5):F1} ms p99 {Percentile(events.CallMs, 0.99):F1} ms");
            await Task.Delay(Drain);
            await probe.DisposeAsync();
            foreach (var line in await child.StopAsync())
            {
                Print($"{line}");
            }

            var expected = await ExpectedAsync(dataSource, population, heads, events);
            var (received, repeated) = await ReceivedAsync(resultsFile);
            var latencies = new List<double>();
            foreach (var (id, returnedTicks) in expected)
            {
                if (received.TryGetValue(id, out var receivedTicks))
                {
                    latencies.Add(TimeSpan.FromTicks(receivedTicks - returnedTicks).TotalMilliseconds);
                }
            }

            var relayed = expected.Where(e => probe.Offered.ContainsKey(e.Key)).Select(e => TimeSpan.FromTicks(probe.Offered[e.Key] - e.Value).TotalMilliseconds).ToList();
            var ratio = committed == 0 ? 0 : (double)latencies.Count / committed;
            Print($"delivered {latencies.Count} of {committed} ({received.Count} distinct notifications received in all, warm-up included; {repeated} received more than once)");
            Print($"commit-to-receive: p50 {Percentile(latencies, 0.5):F1} ms, p90 {Percentile(latencies, 0.9):F1} ms, p99 {Percentile(latencies, 0.99):F1} ms, max {Percentile(latencies, 1):F1} ms");
            Print($"of which commit-to-relay (every tenth recipient, in process): p50 {Percentile(relayed, 0.5):F1} ms, p99 {Percentile(relayed, 0.99):F1} ms");
            await app.StopAsync();
            // delivered_ratio is over the calls that committed: calls that threw notify nobody and
            // would leave it at 1.0 while the server failed, so the last line says how many did.
            var failed = events.Errors;
            if (failed > 0)
            {
                Print($"WARNING: {failed} of {total} grain calls failed; the line below is not valid (it is valid only with failed=0)");
            }

            Print($"realtime clients={clients} events_per_s={eventsPerSecond} delivered_ratio={ratio:F4} p50_ms={Percentile(latencies, 0.5):F0} p99_ms={Percentile(latencies, 0.99):F0} committed={committed} failed={failed}");
            return 0;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await BenchDatabase.ExecuteAsync(admin, $"drop database if exists {database} with (force)");
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Each recipient's last sequence before the measured round.</summary>
    private static async Task<Dictionary<string, long>> FeedHeadsAsync(NpgsqlDataSource dataSource, RealtimePopulation population)
    {
        await using var command = dataSource.CreateCommand("select recipient_id, last_seq from feed_heads where recipient_id = any($1)");
        command.Parameters.AddWithValue(population.Patients.Select(p => p.ToString()).ToArray());
        var heads = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            heads[reader.GetString(0)] = reader.GetInt64(1);
        }

        return heads;
    }

    /// <summary>
    /// The notifications the measured round wrote, read back from the feed, each with the time
    /// the call that wrote it returned: a recipient's k-th notification after its head is its
    /// k-th event (<see cref="RealtimeEvents"/>).
    /// </summary>
    private static async Task<Dictionary<Guid, long>> ExpectedAsync(NpgsqlDataSource dataSource, RealtimePopulation population, Dictionary<string, long> heads, RealtimeEvents events)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var r = 0; r < population.Patients.Length; r++)
        {
            index[population.Patients[r].ToString()] = r;
        }

        await using var command = dataSource.CreateCommand("select recipient_id, seq, id from notifications where recipient_id = any($1)");
        command.Parameters.AddWithValue(index.Keys.ToArray());
        var expected = new Dictionary<Guid, long>();
        var unmatched = 0;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var recipient = reader.GetString(0);
            var ordinal = reader.GetInt64(1) - heads.GetValueOrDefault(recipient) - 1;
            if (ordinal < 0)
            {
                continue;
            }

            var returned = events.ReturnedUtcTicks(index[recipient]);
            if (ordinal < returned.Count)
            {
                expected[reader.GetGuid(2)] = returned[(int)ordinal];
            }
            else
            {
                unmatched++;
            }
        }

        if (unmatched > 0 || expected.Count != events.Committed)
        {
            Print($"warning: {expected.Count} notifications matched to {events.Committed} committed events, {unmatched} unmatched");
        }

        return expected;
    }

    /// <summary>What the clients received: each notification's first arrival, by id, and how many arrived more than once.</summary>
    private static async Task<(Dictionary<Guid, long> FirstArrival, int Repeated)> ReceivedAsync(string resultsFile)
    {
        var received = new Dictionary<Guid, long>();
        var repeated = 0;
        foreach (var line in await File.ReadAllLinesAsync(resultsFile))
        {
            var parts = line.Split(' ');
            var id = Guid.Parse(parts[2]);
            var ticks = long.Parse(parts[3], CultureInfo.InvariantCulture);
            if (received.TryGetValue(id, out var earlier))
            {
                repeated++;
                ticks = Math.Min(earlier, ticks);
            }

            received[id] = ticks;
        }

        return (received, repeated);
    }

    private static TimeSpan CpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static double Percentile(List<double> values, double quantile) => values.Count == 0 ? double.NaN : BenchLoad.Percentile(values, quantile);

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture);

    private static string PerThousand(long bytes, int connections) => (bytes * 1000.0 / connections / 1048576.0).ToString("F2", CultureInfo.InvariantCulture);

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));
}
