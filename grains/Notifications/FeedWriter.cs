using System.Data.Common;
using Dapper;
using MonEspaceSante.Storage;

namespace MonEspaceSante.Notifications;

/// <summary>
/// Appends to and reads a recipient's feed. The per-recipient sequence comes from an upsert on
/// feed_heads inside the writer's transaction: the row lock orders concurrent writers to one
/// recipient, so sequences are gap-free and a reader resuming "after S" misses nothing.
/// </summary>
public static class FeedWriter
{
    private static readonly string[] AppendParameters = ["recipient", "id", "kind", "payload", "at"];

    /// <summary>
    /// Whether <paramref name="writes"/> can be sent in the round trip of an append: on
    /// PostgreSQL, and with no parameter name shared with the append or between them.
    /// </summary>
    public static bool CanSendAlongside(SqlDialect dialect, IReadOnlyList<CommitWrite> writes)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentNullException.ThrowIfNull(writes);
        var names = new HashSet<string>(AppendParameters, StringComparer.OrdinalIgnoreCase);
        return dialect.Provider == DatabaseProvider.Postgres && writes.SelectMany(w => w.ParameterNames).All(names.Add);
    }

    /// <summary>
    /// Appends the notification; returns its sequence in the recipient's feed and whether the
    /// recipient holds a live lease at the notification's time (<see cref="LiveLeases"/>), read
    /// from the same head row in the same statement.
    /// </summary>
    public static async Task<FeedAppend> AppendAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, NotificationRecord notification, IReadOnlyList<CommitWrite>? alongside = null)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentNullException.ThrowIfNull(notification);
        alongside ??= [];
        var parameters = new
        {
            recipient = notification.RecipientId,
            id = notification.Id,
            kind = notification.Kind,
            payload = notification.PayloadJson,
            at = notification.At.ToUnixTimeMilliseconds(),
        };
        const string nextSeq =
            "insert into feed_heads (recipient_id, last_seq) values (@recipient, 1) " +
            "on conflict (recipient_id) do update set last_seq = feed_heads.last_seq + 1 returning last_seq, live_until_ms";
        if (dialect.Provider == DatabaseProvider.Postgres)
        {
            // One statement instead of two: every grain call that notifies pays this.
            // Writes sent alongside go first in the same command: the reader skips their empty
            // results and reads the append's row.
            if (!CanSendAlongside(dialect, alongside))
            {
                throw new InvalidOperationException("Writes sent with a notification share a parameter name with it or with one another.");
            }

            var combined = new DynamicParameters(parameters);
            foreach (var write in alongside)
            {
                combined.AddDynamicParams(write.Parameters);
            }

            var sql = string.Concat(alongside.Select(w => w.Sql + "; ")) +
                $"with head as ({nextSeq}), added as (insert into notifications (recipient_id, seq, id, kind, payload, created_at_ms) " +
                $"select @recipient, head.last_seq, @id, @kind, {dialect.Json("@payload")}, @at from head returning seq) " +
                "select added.seq, head.live_until_ms from added, head";
            if (alongside.All(w => w.Check is null))
            {
                var (sequence, liveUntil) = await connection.QuerySingleAsync<(long, long)>(sql, combined, transaction).ConfigureAwait(false);
                return new FeedAppend(sequence, liveUntil >= parameters.at);
            }

            // A checked write's number comes first, in the writes' order; a check that throws
            // leaves the rest unread, and the call's transaction is rolled back.
            await using var results = await connection.QueryMultipleAsync(sql, combined, transaction).ConfigureAwait(false);
            foreach (var write in alongside)
            {
                write.Check?.Invoke(await results.ReadSingleAsync<long>().ConfigureAwait(false));
            }

            var (checkedSequence, checkedLiveUntil) = await results.ReadSingleAsync<(long, long)>().ConfigureAwait(false);
            return new FeedAppend(checkedSequence, checkedLiveUntil >= parameters.at);
        }

        // SQLite has no data-modifying WITH.
        foreach (var write in alongside)
        {
            await write.RunAsync(connection, transaction).ConfigureAwait(false);
        }

        var (seq, until) = await connection.QuerySingleAsync<(long, long)>(nextSeq, new { recipient = notification.RecipientId }, transaction).ConfigureAwait(false);
        await connection.ExecuteAsync(
            $"insert into notifications (recipient_id, seq, id, kind, payload, created_at_ms) values (@recipient, @seq, cast(@id as text), @kind, {dialect.Json("@payload")}, @at)",
            new { parameters.recipient, seq, parameters.id, parameters.kind, parameters.payload, parameters.at },
            transaction).ConfigureAwait(false);
        return new FeedAppend(seq, until >= parameters.at);
    }

    public static async Task<IReadOnlyList<FeedEntry>> ReadAsync(IDatabase database, string recipientId, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadAsync(connection, null, recipientId, afterSequence, limit, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The same read on a connection already open (a grain call's).</summary>
    public static async Task<IReadOnlyList<FeedEntry>> ReadAsync(DbConnection connection, DbTransaction? transaction, string recipientId, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var rows = await connection.QueryAsync<FeedRow>(new CommandDefinition(
            "select cast(id as text) as Id, seq as Seq, kind as Kind, cast(payload as text) as Payload, created_at_ms as CreatedAtMs " +
            "from notifications where recipient_id = @recipientId and seq > @afterSequence order by seq limit @limit",
            new { recipientId, afterSequence, limit }, transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new FeedEntry(Guid.Parse(r.Id), r.Seq, r.Kind, r.Payload, DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAtMs))).ToList();
    }

    private sealed class FeedRow
    {
        public string Id { get; set; } = "";
        public long Seq { get; set; }
        public string Kind { get; set; } = "";
        public string Payload { get; set; } = "";
        public long CreatedAtMs { get; set; }
    }
}

/// <summary>A notification's place in its recipient's feed, and whether anyone was listening live when it was written.</summary>
public readonly record struct FeedAppend(long Sequence, bool Live);
