using Microsoft.Extensions.DependencyInjection;
using Dapper;
using MonEspaceSante.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MonEspaceSante.Storage;

namespace MonEspaceSante.Notifications;

/// <summary>
/// Keeps the feed and the job queue from growing without bound: notifications older than
/// <see cref="AlertOptions.Retention"/> and finished jobs older than
/// <see cref="AlertOptions.JobRetention"/> are deleted in small batches, so no statement holds
/// locks for long. Each recipient's sequence lives on in <c>feed_heads</c>, so sequences never
/// restart. The access history is not the feed and is never pruned here (docs/realtime.md).
/// Any number of silos may run it: deleting what another silo deleted is a no-op.
/// </summary>
public sealed partial class FeedRetention(IDatabase database, [FromKeyedServices(PlatformClock.Key)] TimeProvider time, IOptions<AlertOptions> options, ILogger<FeedRetention> logger) : PeriodicService(logger)
{
    public sealed record PruneResult(long Notifications, long Jobs);

    public async Task<PruneResult> PruneOnceAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var settings = options.Value;
        var postgres = database.Provider == DatabaseProvider.Postgres;
        var notifications = await DeleteInBatchesAsync(
            postgres
                ? "delete from notifications where ctid = any(array(select ctid from notifications where created_at_ms < @cutoff limit @limit))"
                : "delete from notifications where rowid in (select rowid from notifications where created_at_ms < @cutoff limit @limit)",
            (now - settings.Retention).ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false);
        var jobs = await DeleteInBatchesAsync(
            postgres
                ? "delete from jobs where ctid = any(array(select ctid from jobs where status = 'done' and created_at_ms < @cutoff limit @limit))"
                : "delete from jobs where rowid in (select rowid from jobs where status = 'done' and created_at_ms < @cutoff limit @limit)",
            (now - settings.JobRetention).ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false);
        if (notifications + jobs > 0)
        {
            LogPruned(logger, notifications, jobs);
        }

        return new PruneResult(notifications, jobs);
    }

    protected override bool Enabled => options.Value.PruneEnabled;

    protected override TimeSpan Interval => options.Value.PruneInterval;

    protected override TimeProvider PauseClock => time;

    protected override Task RunPassAsync(CancellationToken cancellationToken) => PruneOnceAsync(cancellationToken);

    private async Task<long> DeleteInBatchesAsync(string sql, long cutoff, CancellationToken cancellationToken)
    {
        long total = 0;
        while (true)
        {
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            var deleted = await connection.ExecuteAsync(new CommandDefinition(sql, new { cutoff, limit = options.Value.PruneBatchSize }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            total += deleted;
            if (deleted < options.Value.PruneBatchSize)
            {
                return total;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: {Notifications} notifications and {Jobs} finished jobs deleted")]
    private static partial void LogPruned(ILogger logger, long notifications, long jobs);

}
