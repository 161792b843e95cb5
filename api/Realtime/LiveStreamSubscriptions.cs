using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MonEspaceSante.Notifications;
using Orleans.Streams;

namespace MonEspaceSante.Api.Realtime;

/// <summary>
/// Subscribes this silo to the live stream of each recipient it holds a connection for, from
/// their first connection here to their last, and hands what arrives to <see cref="LiveFeed"/>.
/// Subscribing takes a moment; meanwhile, and whenever a stream loses something (a silo dying
/// with its memory queues), the relay reading the feed delivers.
/// </summary>
public sealed partial class LiveStreamSubscriptions(IClusterClient cluster, LiveFeed live, IOptions<RealtimeOptions> options, ILogger<LiveStreamSubscriptions> logger) : IHostedService
{
    private readonly ConcurrentDictionary<string, Subscription> subscriptions = new(StringComparer.Ordinal);
    private IStreamProvider? provider;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.StreamsEnabled)
        {
            return Task.CompletedTask;
        }

        provider = cluster.GetStreamProvider(LiveStreams.ProviderName);
        live.RecipientConnected += OnConnected;
        live.RecipientDisconnected += OnDisconnected;
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        live.RecipientConnected -= OnConnected;
        live.RecipientDisconnected -= OnDisconnected;
        foreach (var recipient in subscriptions.Keys)
        {
            await ReconcileAsync(recipient, stopping: true).ConfigureAwait(false);
        }
    }

    /// <summary>Whether this silo is subscribed to the recipient's stream now.</summary>
    public bool IsSubscribed(string recipientId) => subscriptions.TryGetValue(recipientId, out var subscription) && subscription.Handle is not null;

    private void OnConnected(string recipientId) => _ = ReconcileAsync(recipientId, stopping: false);

    private void OnDisconnected(string recipientId) => _ = ReconcileAsync(recipientId, stopping: false);

    /// <summary>Makes the subscription match whether the recipient is connected here, one change at a time per recipient.</summary>
    private async Task ReconcileAsync(string recipientId, bool stopping)
    {
        var subscription = subscriptions.GetOrAdd(recipientId, _ => new Subscription());
        await subscription.Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            var wanted = !stopping && live.IsConnected(recipientId);
            if (wanted && subscription.Handle is null && provider is not null)
            {
                var stream = provider.GetStream<LiveNotification>(LiveStreams.Of(recipientId));
                subscription.Handle = await stream.SubscribeAsync((notification, _) =>
                {
                    live.Publish(notification);
                    return Task.CompletedTask;
                }).ConfigureAwait(false);
            }
            else if (!wanted && subscription.Handle is { } handle)
            {
                subscription.Handle = null;
                await handle.UnsubscribeAsync().ConfigureAwait(false);
            }
        }
        catch (Exception exception)
        {
            // The relay still delivers; only the fast path is missing for this recipient.
            LogSubscriptionFailed(logger, exception);
        }
        finally
        {
            subscription.Gate.Release();
        }
    }

    private sealed class Subscription
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public StreamSubscriptionHandle<LiveNotification>? Handle { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A live stream subscription could not be changed; the relay delivers meanwhile")]
    private static partial void LogSubscriptionFailed(ILogger logger, Exception exception);
}
