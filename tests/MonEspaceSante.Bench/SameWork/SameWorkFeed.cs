using Npgsql;

namespace MonEspaceSante.Bench.SameWork;

/// <summary>The recipient's notification at the next sequence of their feed, in one statement: the head row orders a recipient's notifications.</summary>
internal static class SameWorkFeed
{
    public static NpgsqlBatchCommand Notify(string recipientId, string kind, string payload, long nowMs) => SameWorkSql.Command(
        "with head as (insert into same_feed_heads (recipient_id, last_seq) values ($1, 1) on conflict (recipient_id) do update set last_seq = same_feed_heads.last_seq + 1 returning last_seq) " +
        "insert into same_notifications (recipient_id, seq, id, kind, payload, created_at_ms) select $1, head.last_seq, $2, $3, cast($4 as jsonb), $5 from head",
        recipientId, Guid.NewGuid(), kind, payload, nowMs);
}
