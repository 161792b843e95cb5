using Dapper;
using MonEspaceSante.Notifications;
using MonEspaceSante.Storage;

namespace MonEspaceSante.Api.Realtime;

/// <summary>
/// What has committed beyond the feed's settled point. The feed in commit order stops below the
/// oldest transaction still running (<see cref="FeedStream"/>), so one slow transaction anywhere
/// holds back every notification committed after it began: measured at 1,000 events a second,
/// the relay saw notifications 92 ms after their commit at the median and 430 ms at p99, tracking
/// the slowest concurrent grain calls. Rows read here are committed (visible), settled or not;
/// the relay pushes the ones it has not pushed yet, and still takes each again, in order, from
/// the settled feed, which remains what the relay's position follows.
/// PostgreSQL only: on SQLite the single writer's rowid order has no such wait.
/// </summary>
public sealed class CommittedAhead(IDatabase database)
{
    public bool Supported => database.Provider == DatabaseProvider.Postgres;

    /// <summary>
    /// Every committed notification after <paramref name="after"/>, in (tx, global id) order. No
    /// bound at the oldest running transaction: rows that settled since the relay's settled read
    /// are wanted too, or they would wait a whole poll for the next one.
    /// </summary>
    public async Task<IReadOnlyList<StreamedNotification>> ReadAsync(FeedPosition after, int limit, CancellationToken cancellationToken = default)
    {
        const string sql =
            "select tx as Tx, global_id as GlobalId, recipient_id as RecipientId, cast(id as text) as Id, seq as Seq, kind as Kind, cast(payload as text) as Payload, created_at_ms as CreatedAtMs " +
            "from notifications where (tx, global_id) > (@tx, @globalId) " +
            "order by tx, global_id limit @limit";
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(sql, new { tx = after.Tx, globalId = after.GlobalId, limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new StreamedNotification(new FeedPosition(r.Tx, r.GlobalId), r.RecipientId, Guid.Parse(r.Id), r.Seq, r.Kind, r.Payload, DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAtMs))).ToList();
    }

    private sealed class Row
    {
        public long Tx { get; set; }
        public long GlobalId { get; set; }
        public string RecipientId { get; set; } = "";
        public string Id { get; set; } = "";
        public long Seq { get; set; }
        public string Kind { get; set; } = "";
        public string Payload { get; set; } = "";
        public long CreatedAtMs { get; set; }
    }
}
