using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MonEspaceSante.Notifications;

namespace MonEspaceSante.Api.Realtime;

/// <summary>
/// This silo's relay: while anyone is connected here, it reads the feed in commit order in
/// batches and offers each notification to its recipient's live connections on this silo. It
/// polls (ARCHITECTURE §4: no NOTIFY in grain calls); it reads nothing while nobody is
/// connected, and starts from the head when the first connection arrives (the client's resume
/// covers what came before).
/// </summary>
public sealed partial class NotificationRelay(FeedStream feed, LiveFeed live, IOptions<RealtimeOptions> options, ILogger<NotificationRelay> logger) : BackgroundService
{
    private readonly Lock gate = new();
    private FeedPosition? position;
    private TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RelayEnabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var full = false;
            try
            {
                full = await RelayOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogRelayFailed(logger, exception);
            }

            if (!full)
            {
                try
                {
                    // Real time, not the injected clock: this is a polling cadence, not a rule.
                    await Task.Delay(options.Value.PollInterval, TimeProvider.System, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Subscribes a connection, then waits until this relay reads from a position no later than
    /// now. What the client then gets from the feed (its resume, a stream's catch-up) and what the
    /// relay offers it together miss nothing. Without the wait, a relay idle until this first
    /// connection could take the head after the client's resume, and what committed in between
    /// would reach the client neither way.
    /// </summary>
    public async Task<LiveSubscription> SubscribeAsync(string recipientId, CancellationToken cancellationToken)
    {
        LiveSubscription subscription;
        Task relaying;
        lock (gate)
        {
            subscription = live.Subscribe(recipientId);
            relaying = started.Task;
        }

        if (options.Value.RelayEnabled)
        {
            try
            {
                await relaying.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                live.Unsubscribe(subscription);
                throw;
            }
        }

        return subscription;
    }

    /// <summary>One batch; true when the batch was full (more is waiting).</summary>
    public async Task<bool> RelayOnceAsync(CancellationToken cancellationToken = default)
    {
        // Under the lock that subscribing takes: a connection arriving now either keeps the relay
        // going or waits for the fresh start below.
        lock (gate)
        {
            if (!live.HasSubscribers)
            {
                if (position is not null)
                {
                    position = null;
                    started = new(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                return false;
            }
        }

        if (position is null)
        {
            position = await feed.HeadAsync(cancellationToken).ConfigureAwait(false);
            started.TrySetResult();
        }

        var batch = await feed.ReadAfterAsync(position.Value, options.Value.BatchSize, cancellationToken).ConfigureAwait(false);
        foreach (var notification in batch)
        {
            live.Publish(notification);
            position = notification.Position;
        }

        return batch.Count == options.Value.BatchSize;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The notification relay failed to read the feed; retrying")]
    private static partial void LogRelayFailed(ILogger logger, Exception exception);
}
