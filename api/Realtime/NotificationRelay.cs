using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MonEspaceSante.Notifications;

namespace MonEspaceSante.Api.Realtime;

/// <summary>
/// This silo's relay: while anyone is connected here, it reads the feed in commit order in
/// batches and offers each notification to its recipient's live connections on this silo. It
/// polls (docs/decisions.md, "No NOTIFY inside a grain call"); it reads nothing while nobody is
/// connected, and starts from the head when the first connection arrives (the client's resume
/// covers what came before). Before each settled batch it pushes what has committed beyond the
/// settled point (<see cref="FeedStream.ReadCommittedAfterAsync"/>), so a slow transaction elsewhere does not delay
/// everyone's notifications; those are skipped when the settled feed reaches them.
/// </summary>
public sealed partial class NotificationRelay(RelayConnections connections, LiveFeed live, FeedSignal signal, IOptions<RealtimeOptions> options, ILogger<NotificationRelay> logger) : BackgroundService
{
    /// <summary>Beyond this many pushed ahead, a long transaction is holding the feed: wait for the settled feed to catch up.</summary>
    private const int MaxPushedAhead = 20_000;

    private readonly FeedStream feed = new(connections.Database);
    private readonly HashSet<Guid> pushedAhead = [];
    private readonly Lock gate = new();
    private FeedPosition? position;
    private FeedPosition aheadCursor;
    private bool catchingUp;
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
            // Taken before the pass: a commit during it wakes the next one at once.
            var woken = signal.Next;
            var started = TimeProvider.System.GetTimestamp();
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
                    // Until a commit on this silo or the interval, whichever comes first; other
                    // silos' commits are found by the interval. Passes stay MinPollGap apart so
                    // a busy silo's commits are read in batches, not one query each.
                    await Task.WhenAny(woken, Task.Delay(options.Value.PollInterval, TimeProvider.System, stoppingToken)).ConfigureAwait(false);
                    stoppingToken.ThrowIfCancellationRequested();
                    var gap = options.Value.MinPollGap - TimeProvider.System.GetElapsedTime(started);
                    if (gap > TimeSpan.Zero)
                    {
                        await Task.Delay(gap, TimeProvider.System, stoppingToken).ConfigureAwait(false);
                    }
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

                pushedAhead.Clear();
                aheadCursor = default;
                catchingUp = false;
                return false;
            }
        }

        if (position is null)
        {
            position = await feed.HeadAsync(cancellationToken).ConfigureAwait(false);
            started.TrySetResult();
        }

        if (!catchingUp)
        {
            // First, so that what is new waits for one read only, not for the settled read too
            // (which a loaded database made take up to 130 ms).
            await RelayAheadAsync(position.Value, cancellationToken).ConfigureAwait(false);
        }

        var batch = await feed.ReadAfterAsync(position.Value, options.Value.BatchSize, cancellationToken).ConfigureAwait(false);
        foreach (var notification in batch)
        {
            if (!pushedAhead.Remove(notification.Id))
            {
                live.Publish(notification);
            }

            position = notification.Position;
        }

        // Behind by a full batch or more: catch up on the settled feed alone.
        catchingUp = batch.Count == options.Value.BatchSize;
        return catchingUp;
    }

    private async Task RelayAheadAsync(FeedPosition settled, CancellationToken cancellationToken)
    {
        if (!IsAfter(aheadCursor, settled))
        {
            // The settled feed has passed everything pushed ahead (and skipped each on the way).
            pushedAhead.Clear();
            aheadCursor = settled;
        }

        if (pushedAhead.Count >= MaxPushedAhead)
        {
            return;
        }

        // Everything committed past the settled point, again each time: transactions commit out of
        // their id order, so a row may commit below one already pushed. Past a full batch (a long
        // transaction holds the feed), page on from the last row pushed instead.
        // SQLite's single writer commits in rowid order: nothing to push ahead there.
        if (await feed.ReadCommittedAfterAsync(settled, options.Value.BatchSize, cancellationToken).ConfigureAwait(false) is not { } rows)
        {
            return;
        }

        PublishAhead(rows);
        if (rows.Count == options.Value.BatchSize)
        {
            PublishAhead((await feed.ReadCommittedAfterAsync(aheadCursor, options.Value.BatchSize, cancellationToken).ConfigureAwait(false))!);
        }
    }

    private void PublishAhead(IReadOnlyList<StreamedNotification> rows)
    {
        foreach (var notification in rows)
        {
            if (pushedAhead.Add(notification.Id))
            {
                live.Publish(notification);
            }

            if (IsAfter(notification.Position, aheadCursor))
            {
                aheadCursor = notification.Position;
            }
        }
    }

    private static bool IsAfter(FeedPosition a, FeedPosition b) => a.Tx > b.Tx || (a.Tx == b.Tx && a.GlobalId > b.GlobalId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The notification relay failed to read the feed; retrying")]
    private static partial void LogRelayFailed(ILogger logger, Exception exception);
}
