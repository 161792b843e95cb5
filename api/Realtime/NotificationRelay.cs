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
    private FeedPosition? position;

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

    /// <summary>One batch; true when the batch was full (more is waiting).</summary>
    public async Task<bool> RelayOnceAsync(CancellationToken cancellationToken = default)
    {
        if (!live.HasSubscribers)
        {
            position = null;
            return false;
        }

        position ??= await feed.HeadAsync(cancellationToken).ConfigureAwait(false);
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
