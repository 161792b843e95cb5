using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection;
using MonEspaceSante.Hosting;
using MonEspaceSante.Notifications;
using MonEspaceSante.Storage;
using Orleans.Streams;

namespace MonEspaceSante.Api.Realtime;

/// <summary>
/// Subscribes this silo to the live stream of each recipient it holds a connection for, from
/// their first connection here to their last, and hands what arrives to <see cref="LiveFeed"/>.
/// Once subscribed it takes the recipient's live lease, and renews the leases of everyone
/// subscribed here, so that grains publish for them (<see cref="LiveLeases"/>). Subscribing
/// takes a moment; meanwhile, and whenever a stream loses something (a silo dying with its
/// memory queues), the relay reading the feed delivers.
/// </summary>
public sealed partial class LiveStreamSubscriptions(
    IClusterClient cluster,
    LiveFeed live,
    IDatabase database,
    [FromKeyedServices(PlatformClock.Key)] TimeProvider clock,
    IOptions<RealtimeOptions> options,
    ILogger<LiveStreamSubscriptions> logger) : IHostedService, IDisposable
{
    private readonly ConcurrentDictionary<string, Subscription> subscriptions = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stopping = new();
    private IStreamProvider? provider;
    private Task renewals = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.StreamsEnabled)
        {
            return Task.CompletedTask;
        }

        provider = cluster.GetStreamProvider(LiveStreams.ProviderName);
        live.RecipientConnected += OnConnected;
        live.RecipientDisconnected += OnDisconnected;
        renewals = RenewLeasesAsync(stopping.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        live.RecipientConnected -= OnConnected;
        live.RecipientDisconnected -= OnDisconnected;
        await stopping.CancelAsync().ConfigureAwait(false);
        await renewals.ConfigureAwait(false);
        foreach (var recipient in subscriptions.Keys)
        {
            await ReconcileAsync(recipient, stopping: true).ConfigureAwait(false);
        }
    }

    public void Dispose() => stopping.Dispose();

    /// <summary>Whether this silo is subscribed to the recipient's stream now, with the lease that makes grains publish on it.</summary>
    public bool IsSubscribed(string recipientId) => subscriptions.TryGetValue(recipientId, out var subscription) && subscription.Handle is not null && subscription.Leased;

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
                // After the subscription: a grain that sees the lease publishes to a listener.
                await LiveLeases.TakeAsync(database, recipientId, clock.GetUtcNow() + options.Value.LiveLease).ConfigureAwait(false);
                subscription.Leased = true;
            }
            else if (!wanted && subscription.Handle is { } handle)
            {
                subscription.Handle = null;
                subscription.Leased = false;
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

    /// <summary>Every third of a lease, extends the leases of the recipients subscribed here.</summary>
    private async Task RenewLeasesAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.Value.LiveLease / 3);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    var until = clock.GetUtcNow() + options.Value.LiveLease;
                    var subscribed = subscriptions.Where(s => s.Value.Handle is not null).ToList();
                    foreach (var (recipientId, subscription) in subscribed.Where(s => !s.Value.Leased))
                    {
                        // The first take failed (the database was away): take it now.
                        await LiveLeases.TakeAsync(database, recipientId, until, cancellationToken).ConfigureAwait(false);
                        subscription.Leased = true;
                    }

                    await LiveLeases.RenewAsync(database, subscribed.Select(s => s.Key).ToList(), until, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogRenewalFailed(logger, exception);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private sealed class Subscription
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public StreamSubscriptionHandle<LiveNotification>? Handle { get; set; }

        /// <summary>Whether the first lease was taken; if it failed, the next renewal takes it.</summary>
        public bool Leased { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A live stream subscription could not be changed; the relay delivers meanwhile")]
    private static partial void LogSubscriptionFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The live leases could not be renewed; grains may stop publishing to this silo's connections until the next renewal, and the relay delivers meanwhile")]
    private static partial void LogRenewalFailed(ILogger logger, Exception exception);
}
