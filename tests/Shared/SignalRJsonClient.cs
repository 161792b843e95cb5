using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace MonEspaceSante.Testing;

/// <summary>A message the server pushed to the client: the hub method's name and its arguments.</summary>
public sealed record HubPush(string Target, IReadOnlyList<JsonElement> Arguments, DateTimeOffset ReceivedAt);

/// <summary>
/// Speaks the SignalR JSON hub protocol (version 1) over one WebSocket, because the registry
/// carries no .NET SignalR client. It skips negotiation (allowed for WebSockets), sends the
/// handshake, answers nothing but keeps the connection alive with pings, surfaces server
/// invocations as <see cref="Pushes"/> and matches completions to <see cref="InvokeAsync"/>.
/// Records are JSON texts ended by the 0x1E record separator.
/// </summary>
public sealed class SignalRJsonClient : IAsyncDisposable
{
    private const byte RecordSeparator = 0x1E;
    private static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(10);

    private readonly WebSocket socket;
    private readonly Channel<HubPush> pushes = Channel.CreateUnbounded<HubPush>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> pending = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private readonly CancellationTokenSource stopping = new();
    private readonly ArrayBufferWriter<byte> incoming = new();
    private readonly TaskCompletionSource<string?> closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task receiving = Task.CompletedTask;
    private Task pinging = Task.CompletedTask;
    private int nextInvocationId;

    private SignalRJsonClient(WebSocket socket) => this.socket = socket;

    /// <summary>What the server pushed, in order; completes when the connection closes.</summary>
    public ChannelReader<HubPush> Pushes => pushes.Reader;

    /// <summary>Completes when the connection ends, with the server's close error if it sent one.</summary>
    public Task<string?> Closed => closed.Task;

    public WebSocketState State => socket.State;

    /// <summary>Opens a WebSocket to <paramref name="hubUrl"/> (http or ws scheme) with the credential in <c>access_token</c>, as browsers must.</summary>
    public static async Task<SignalRJsonClient> ConnectAsync(Uri hubUrl, string? accessToken, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hubUrl);
        var builder = new UriBuilder(hubUrl) { Scheme = hubUrl.Scheme is "https" or "wss" ? "wss" : "ws" };
        if (accessToken is not null)
        {
            var query = builder.Query.TrimStart('?');
            builder.Query = (query.Length > 0 ? query + "&" : "") + "access_token=" + Uri.EscapeDataString(accessToken);
        }

        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        try
        {
            await socket.ConnectAsync(builder.Uri, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return await StartAsync(socket, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the protocol over a WebSocket already open to the hub (an in-memory test server's, say).</summary>
    public static async Task<SignalRJsonClient> StartAsync(WebSocket socket, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var client = new SignalRJsonClient(socket);
        try
        {
            await client.SendRecordAsync("{\"protocol\":\"json\",\"version\":1}", cancellationToken).ConfigureAwait(false);
            var handshake = await client.ReadRecordsAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The hub closed the connection during the handshake.");
            using (var response = JsonDocument.Parse(handshake[0]))
            {
                if (response.RootElement.TryGetProperty("error", out var error))
                {
                    throw new InvalidOperationException("Handshake refused: " + error.GetString());
                }
            }

            client.receiving = Task.Run(() => client.ReceiveLoopAsync(handshake.Skip(1).ToList()), CancellationToken.None);
            client.pinging = Task.Run(client.PingLoopAsync, CancellationToken.None);
            return client;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Calls a hub method and returns its result (or throws with the hub's error).</summary>
    public async Task<JsonElement> InvokeAsync(string target, object?[] arguments, CancellationToken cancellationToken = default)
    {
        var id = Interlocked.Increment(ref nextInvocationId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var completion = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = completion;
        var message = JsonSerializer.Serialize(new { type = 1, invocationId = id, target, arguments });
        await SendRecordAsync(message, cancellationToken).ConfigureAwait(false);
        using var registration = cancellationToken.Register(() => completion.TrySetCanceled(cancellationToken));
        return await completion.Task.ConfigureAwait(false);
    }

    /// <summary>The next push for <paramref name="target"/>, skipping others (which are dropped).</summary>
    public async Task<HubPush> NextAsync(string target, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var push = await pushes.Reader.ReadAsync(cts.Token).ConfigureAwait(false);
            if (push.Target == target)
            {
                return push;
            }
        }
    }

    /// <summary>Drops the TCP connection without a close handshake, as a vanished client would.</summary>
    public void Abort() => socket.Abort();

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }

        socket.Abort();
        await Task.WhenAll(receiving, pinging).ConfigureAwait(false);
        socket.Dispose();
        stopping.Dispose();
        sendLock.Dispose();
    }

    private async Task ReceiveLoopAsync(List<string> first)
    {
        string? error = null;
        try
        {
            foreach (var record in first)
            {
                Dispatch(record, ref error);
            }

            while (await ReadRecordsAsync(stopping.Token).ConfigureAwait(false) is { } records)
            {
                foreach (var record in records)
                {
                    if (!Dispatch(record, ref error))
                    {
                        return;
                    }
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            pushes.Writer.TryComplete();
            foreach (var waiting in pending.Values)
            {
                waiting.TrySetException(new InvalidOperationException("The connection closed."));
            }

            closed.TrySetResult(error);
        }
    }

    /// <summary>Handles one record; false when the server closed the connection.</summary>
    private bool Dispatch(string record, ref string? error)
    {
        using var document = JsonDocument.Parse(record);
        var root = document.RootElement;
        switch (root.GetProperty("type").GetInt32())
        {
            case 1: // invocation from the server
                var arguments = root.TryGetProperty("arguments", out var args) ? args.EnumerateArray().Select(a => a.Clone()).ToList() : [];
                pushes.Writer.TryWrite(new HubPush(root.GetProperty("target").GetString()!, arguments, DateTimeOffset.UtcNow));
                return true;
            case 3: // completion of one of ours
                if (pending.TryRemove(root.GetProperty("invocationId").GetString()!, out var completion))
                {
                    if (root.TryGetProperty("error", out var failure))
                    {
                        completion.TrySetException(new InvalidOperationException(failure.GetString()));
                    }
                    else
                    {
                        completion.TrySetResult(root.TryGetProperty("result", out var result) ? result.Clone() : default);
                    }
                }

                return true;
            case 7: // close
                error = root.TryGetProperty("error", out var reason) ? reason.GetString() : null;
                return false;
            default: // 6 = ping, and anything newer than this client
                return true;
        }
    }

    private async Task PingLoopAsync()
    {
        using var timer = new PeriodicTimer(PingInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping.Token).ConfigureAwait(false))
            {
                await SendRecordAsync("{\"type\":6}", stopping.Token).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    private async Task SendRecordAsync(string json, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(json + (char)RecordSeparator);
        await sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            sendLock.Release();
        }
    }

    /// <summary>Reads one WebSocket message and splits it into records; null when the socket closed.</summary>
    private async Task<List<string>?> ReadRecordsAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(8192);
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                incoming.Write(buffer.AsSpan(0, result.Count));
                if (!result.EndOfMessage)
                {
                    continue;
                }

                // A record may span messages; keep any unterminated tail for the next read.
                var records = new List<string>();
                var data = incoming.WrittenSpan;
                int end;
                while ((end = data.IndexOf(RecordSeparator)) >= 0)
                {
                    records.Add(Encoding.UTF8.GetString(data[..end]));
                    data = data[(end + 1)..];
                }

                var tail = data.ToArray();
                incoming.Clear();
                incoming.Write(tail);
                if (records.Count > 0)
                {
                    return records;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
