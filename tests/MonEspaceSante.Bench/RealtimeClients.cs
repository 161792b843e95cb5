using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using MonEspaceSante.Api.Realtime;

namespace MonEspaceSante.Bench;

/// <summary>
/// The realtime benchmark's clients, in their own process so that the server's memory and CPU
/// are its own: one SignalR connection per ticket (line i of the tickets file is recipient i),
/// each recording what it receives with the wall-clock time of arrival. Driven over stdin/stdout
/// by <see cref="RealtimeBenchmark"/>: it prints <c>connected ...</c> once every connection is
/// open, then waits for <c>stop</c>, prints its memory (measured once connected) and its
/// thread-pool queueing, writes
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
        var clients = new HubConnection?[tickets.Length];
        var received = new List<Received>[tickets.Length];
        var failed = 0;
        var memoryBefore = ServerMemory.Measure();
        var watch = Stopwatch.StartNew();
        await BenchLoad.RunConcurrentAsync(tickets.Length, ConnectConcurrency, async i =>
        {
            var pushes = received[i] = [];
            for (var attempt = 1; attempt <= ConnectAttempts && clients[i] is null; attempt++)
            {
                var client = Connection(hubUrl, tickets[i], pushes);
                try
                {
                    await client.StartAsync();
                    clients[i] = client;
                }
                catch (Exception exception) when (attempt < ConnectAttempts)
                {
                    await client.DisposeAsync();
                    Console.Error.WriteLine($"client {i}: connect attempt {attempt} failed: {exception.Message}");
                    await Task.Delay(100 * attempt);
                }
                catch (Exception exception)
                {
                    await client.DisposeAsync();
                    Console.Error.WriteLine($"client {i}: not connected: {exception.Message}");
                    Interlocked.Increment(ref failed);
                }
            }
        });
        var seconds = watch.Elapsed.TotalSeconds;
        // What a client connection costs is the client library's business: measured here, before
        // anything is pushed, as the server measures its own, and printed with the rest at the end.
        var memoryAfter = ServerMemory.Measure();
        var connections = Math.Max(1, tickets.Length - failed);
        var memory = string.Create(CultureInfo.InvariantCulture,
            $"client memory: GC heap {Mib(memoryBefore.Heap)} -> {Mib(memoryAfter.Heap)} MiB, working set {Mib(memoryBefore.WorkingSet)} -> {Mib(memoryAfter.WorkingSet)} MiB; per 1,000 connections: GC heap {Mib((memoryAfter.Heap - memoryBefore.Heap) * 1000 / connections)} MiB, working set {Mib((memoryAfter.WorkingSet - memoryBefore.WorkingSet) * 1000 / connections)} MiB");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"connected {tickets.Length - failed} failed {failed} seconds {seconds:F2}"));
        // Arrival times are taken on this process's thread pool: how long it makes work wait bounds them.
        var scheduling = new SchedulingProbe();

        // Bounded: the parent either says stop or goes away (end of input).
        while (await Console.In.ReadLineAsync() is { } line && line != "stop")
        {
        }

        scheduling.Dispose();
        Console.WriteLine(memory);
        var delays = scheduling.DelaysMs;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"thread pool queueing in the clients: p50 {BenchLoad.Percentile(delays, 0.5):F1} ms, p99 {BenchLoad.Percentile(delays, 0.99):F1} ms, max {BenchLoad.Percentile(delays, 1):F1} ms"));

        // Each list is written by its connection's handler: close the connections (which waits
        // for their receive loops) before reading them.
        await BenchLoad.RunConcurrentAsync(clients.Length, ConnectConcurrency, async i =>
        {
            if (clients[i] is { } client)
            {
                await client.DisposeAsync();
            }
        });
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

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("F2", CultureInfo.InvariantCulture);

    /// <summary>
    /// One connection as a browser's makes it: WebSockets straight away (no negotiation, so no
    /// second request per client), the ticket as <c>access_token</c> in the URL. The handler runs
    /// on the connection's receive loop, one push after another, so its list needs no lock, and
    /// the arrival time is taken there as the push is dispatched.
    /// </summary>
    private static HubConnection Connection(Uri hubUrl, string ticket, List<Received> into)
    {
        var url = new UriBuilder(hubUrl) { Query = "access_token=" + Uri.EscapeDataString(ticket) }.Uri;
        var connection = new HubConnectionBuilder()
            .WithUrl(url, options =>
            {
                options.SkipNegotiation = true;
                options.Transports = HttpTransportType.WebSockets;
                // SignalR's own pings keep the connection alive; WebSocket pings on top would
                // only add frames to thousands of connections.
                options.WebSocketConfiguration = socket => socket.KeepAliveInterval = TimeSpan.Zero;
            })
            .Build();
        connection.On<JsonElement>(NotificationHub.NotificationMethod, entry =>
            into.Add(new Received(entry.GetProperty("sequence").GetInt64(), entry.GetProperty("id").GetGuid(), DateTimeOffset.UtcNow.UtcTicks)));
        return connection;
    }
}
