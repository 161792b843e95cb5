using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MonEspaceSante.Api.Realtime;

namespace MonEspaceSante.Tests.Realtime;

/// <summary>A call the server made on the client: the hub method, its argument as the JSON the server sent (none for <c>resync</c>), and when it came.</summary>
public sealed record HubPush(string Target, JsonElement? Argument, DateTimeOffset ReceivedAt);

/// <summary>
/// A connection to the notification hub through the official .NET client, with handlers for
/// both methods the hub calls feeding one queue, so that tests read pushes in the order they
/// came. The ticket travels as <c>access_token</c> in the URL, as browsers must send it, and
/// negotiation is skipped for WebSockets, which lets a connection land on any silo behind a
/// proxy without sticky sessions.
/// </summary>
public sealed class HubClient : IAsyncDisposable
{
    private readonly Channel<HubPush> pushes = Channel.CreateUnbounded<HubPush>();
    private readonly TaskCompletionSource<Exception?> closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly UnhandledCalls unhandled = new();
    private WebSocket? socket;

    private HubClient(Uri hubUrl, string ticket, TestServer? server)
    {
        var url = new UriBuilder(hubUrl) { Query = "access_token=" + Uri.EscapeDataString(ticket) }.Uri;
        var builder = new HubConnectionBuilder()
            .WithUrl(url, options =>
            {
                options.SkipNegotiation = true;
                options.Transports = HttpTransportType.WebSockets;
                if (server is not null)
                {
                    // The in-memory server has no socket to dial: its own WebSocket client stands in,
                    // and is kept so that Abort can drop it as a vanished client would.
                    options.HttpMessageHandlerFactory = _ => server.CreateHandler();
                    options.WebSocketFactory = async (context, cancellationToken) =>
                        socket = await server.CreateWebSocketClient().ConnectAsync(context.Uri, cancellationToken);
                }
            });
        // The client drops a call it has no handler for after logging it: the log is the only
        // place where an unexpected call from the server can be seen.
        builder.Services.AddLogging(logging => logging.AddProvider(unhandled));
        Connection = builder.Build();
        Connection.On<JsonElement>(NotificationHub.NotificationMethod, entry => Record(NotificationHub.NotificationMethod, entry));
        Connection.On(NotificationHub.ResyncMethod, () => Record(NotificationHub.ResyncMethod, null));
        Connection.Closed += exception =>
        {
            closed.TrySetResult(exception);
            pushes.Writer.TryComplete();
            return Task.CompletedTask;
        };
    }

    public HubConnection Connection { get; }

    /// <summary>What the server pushed, in order; completes when the connection closes.</summary>
    public ChannelReader<HubPush> Pushes => pushes.Reader;

    /// <summary>Completes when the connection ends: null for a close the client asked for or the server sent without an error, a <see cref="HubException"/> for a server's close with one, the transport's failure otherwise.</summary>
    public Task<Exception?> Closed => closed.Task;

    /// <summary>The methods the server called that the client had no handler for, or whose arguments did not bind.</summary>
    public IReadOnlyCollection<string> Unhandled => unhandled.Targets;

    /// <summary>A connection over a real socket (a silo process, nginx).</summary>
    public static Task<HubClient> ConnectAsync(Uri hubUrl, string ticket) => StartAsync(new HubClient(hubUrl, ticket, null));

    /// <summary>A connection to an in-memory test server.</summary>
    public static Task<HubClient> ConnectAsync(TestServer server, string ticket)
    {
        ArgumentNullException.ThrowIfNull(server);
        return StartAsync(new HubClient(new Uri(server.BaseAddress, NotificationHub.Path), ticket, server));
    }

    /// <summary>One call of the hub's <c>Resume</c>: the feed's entries after <paramref name="afterSequence"/>, at most one page.</summary>
    public async Task<JsonElement[]> ResumeAsync(long afterSequence) =>
        await Connection.InvokeAsync<JsonElement[]>("Resume", afterSequence);

    /// <summary>The next push for <paramref name="target"/>, skipping others (which are dropped).</summary>
    public async Task<HubPush> NextAsync(string target, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var push = await pushes.Reader.ReadAsync(cts.Token);
            if (push.Target == target)
            {
                return push;
            }
        }
    }

    /// <summary>
    /// Drops the connection without a close handshake, as a vanished client would. The official
    /// client has no such call; this aborts the in-memory socket under it.
    /// </summary>
    public void Abort() => (socket ?? throw new InvalidOperationException("Only an in-memory connection's socket is at hand.")).Abort();

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        unhandled.Dispose();
    }

    private static async Task<HubClient> StartAsync(HubClient client)
    {
        try
        {
            await client.Connection.StartAsync();
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    private void Record(string target, JsonElement? argument) =>
        pushes.Writer.TryWrite(new HubPush(target, argument, DateTimeOffset.UtcNow));

    /// <summary>Watches the client's log for the two events that say a call from the server was dropped.</summary>
    private sealed class UnhandledCalls : ILoggerProvider, ILogger
    {
        // By name: the client logs a call without a handler twice (binding its arguments, then dispatching it).
        private readonly ConcurrentDictionary<string, bool> targets = new(StringComparer.Ordinal);

        public IReadOnlyCollection<string> Targets => [.. targets.Keys];

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Name is "MissingHandler" or "ArgumentBindingFailure")
            {
                var values = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
                targets.TryAdd(values.FirstOrDefault(v => v.Key is "Target" or "MethodName").Value?.ToString() ?? eventId.Name, true);
            }
        }

        public void Dispose()
        {
        }
    }
}
