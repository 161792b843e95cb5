using System.Diagnostics;
using System.Globalization;
using System.Text;
using MonEspaceSante.Api.Realtime;
using MonEspaceSante.Testing;

namespace MonEspaceSante.Bench;

/// <summary>
/// The realtime benchmark's clients, in their own process so that the server's memory and CPU
/// are its own: one SignalR connection per ticket (line i of the tickets file is recipient i),
/// each recording what it receives with the wall-clock time of arrival. Driven over stdin/stdout
/// by <see cref="RealtimeBenchmark"/>: it prints <c>connected ...</c> once every connection is
/// open, then waits for <c>stop</c>, prints its thread-pool queueing, writes
/// <c>index sequence id received_utc_ticks</c> lines to the results file, closes its connections
/// and prints <c>stopped</c>.
/// </summary>
internal static class RealtimeClients
{
    public const string Command = "realtime-clients";
    private const int ConnectConcurrency = 32;
    private const int ConnectAttempts = 3;

    private sealed record Received(long Sequence, Guid Id, long ReceivedUtcTicks);

    public static async Task<int> RunAsync(Uri hubUrl, string ticketsFile, string resultsFile)
    {
        var tickets = await File.ReadAllLinesAsync(ticketsFile);
        var clients = new SignalRJsonClient?[tickets.Length];
        var received = new List<Received>[tickets.Length];
        var readers = new Task[tickets.Length];
        var failed = 0;
        var watch = Stopwatch.StartNew();
        await BenchLoad.RunConcurrentAsync(tickets.Length, ConnectConcurrency, async i =>
        {
            for (var attempt = 1; attempt <= ConnectAttempts && clients[i] is null; attempt++)
            {
                try
                {
                    clients[i] = await SignalRJsonClient.ConnectAsync(hubUrl, tickets[i]);
                }
                catch (Exception exception) when (attempt < ConnectAttempts)
                {
                    Console.Error.WriteLine($"client {i}: connect attempt {attempt} failed: {exception.Message}");
                    await Task.Delay(100 * attempt);
                }
                catch (Exception exception)
                {
                    Console.Error.WriteLine($"client {i}: not connected: {exception.Message}");
                    Interlocked.Increment(ref failed);
                }
            }

            var pushes = received[i] = [];
            readers[i] = clients[i] is { } client ? RecordAsync(client, pushes) : Task.CompletedTask;
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"connected {tickets.Length - failed} failed {failed} seconds {watch.Elapsed.TotalSeconds:F2}"));
        // Arrival times are taken on this process's thread pool: how long it makes work wait bounds them.
        var scheduling = new SchedulingProbe();

        // Bounded: the parent either says stop or goes away (end of input).
        while (await Console.In.ReadLineAsync() is { } line && line != "stop")
        {
        }

        scheduling.Dispose();
        var delays = scheduling.DelaysMs;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"thread pool queueing in the clients: p50 {BenchLoad.Percentile(delays, 0.5):F1} ms, p99 {BenchLoad.Percentile(delays, 0.99):F1} ms, max {BenchLoad.Percentile(delays, 1):F1} ms"));

        // Each list is written by its reader task: close the connections (ending the readers) before reading them.
        await BenchLoad.RunConcurrentAsync(clients.Length, ConnectConcurrency, async i =>
        {
            if (clients[i] is { } client)
            {
                await client.DisposeAsync();
            }
        });
        await Task.WhenAll(readers);
        var text = new StringBuilder();
        for (var i = 0; i < received.Length; i++)
        {
            foreach (var push in received[i])
            {
                text.Append(CultureInfo.InvariantCulture, $"{i} {push.Sequence} {push.Id} {push.ReceivedUtcTicks}\n");
            }
        }

        await File.WriteAllTextAsync(resultsFile, text.ToString());
        Console.WriteLine("stopped");
        return failed == 0 ? 0 : 1;
    }

    private static async Task RecordAsync(SignalRJsonClient client, List<Received> into)
    {
        await foreach (var push in client.Pushes.ReadAllAsync())
        {
            if (push.Target == NotificationHub.NotificationMethod && push.Arguments.Count == 1)
            {
                var entry = push.Arguments[0];
                into.Add(new Received(entry.GetProperty("sequence").GetInt64(), entry.GetProperty("id").GetGuid(), push.ReceivedAt.UtcTicks));
            }
        }
    }
}
