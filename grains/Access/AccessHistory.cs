using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;

namespace MonEspaceSante.Access;

/// <summary>
/// The per-space access history: append-only rows, each keyed-hashed (HMAC-SHA256, key derived
/// from the master key, never in the database) over its fields and the previous row's hash. The
/// space's head row (last sequence and hash) moves in the same transaction: appends to one space
/// queue on it, so the chain never forks, and entries removed from its end show.
/// </summary>
public static class AccessHistory
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    internal const string Columns =
        "space_id as SpaceId, seq as Seq, entry_id as EntryId, at_ms as AtMs, rpps as Rpps, actor_name as ActorName, profession as Profession, " +
        "facility as Facility, via as Via, action as Action, target as Target, emergency as Emergency, reason as Reason, outcome as Outcome, " +
        "prev_hash as PrevHash, hash as Hash, alg as Alg";

    /// <summary>Entries written before the chain was keyed (migration 0009).</summary>
    public const string LegacyAlg = "sha256";
    public const string Alg = "hmac-sha256";

    /// <summary>
    /// Appends <paramref name="row"/>, chained to the head. With <paramref name="known"/> (the head
    /// this grain last wrote) the head moves and the row is written in one round trip, on the
    /// condition that the head is still exactly that; otherwise, or if it was not, the head is
    /// read and locked first.
    /// </summary>
    public static async Task<HistoryRow> AppendAsync(DbConnection connection, DbTransaction transaction, HistoryRow row, byte[] key, HistoryHead? known = null)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (known is not null)
        {
            row.Seq = known.Seq + 1;
            row.PrevHash = known.Hash;
            row.Alg = Alg;
            row.Hash = HashOf(row, key);
            // The insert runs only if the update moved the head from the known one: the new hash
            // covers a fresh entry id, so the head holds it only after this update. Both count.
            var affected = await connection.ExecuteAsync(
                "update access_history_heads set seq = @Seq, hash = @Hash where space_id = @SpaceId and seq = @KnownSeq and hash = @PrevHash; " +
                "insert into access_history (space_id, seq, entry_id, at_ms, rpps, actor_name, profession, facility, via, action, target, emergency, reason, outcome, prev_hash, hash, alg) " +
                "select @SpaceId, @Seq, @EntryId, @AtMs, @Rpps, @ActorName, @Profession, @Facility, @Via, @Action, @Target, @Emergency, @Reason, @Outcome, @PrevHash, @Hash, @Alg " +
                "where exists (select 1 from access_history_heads where space_id = @SpaceId and seq = @Seq and hash = @Hash)",
                new
                {
                    row.SpaceId, row.Seq, KnownSeq = known.Seq, row.EntryId, row.AtMs, row.Rpps, row.ActorName, row.Profession, row.Facility, row.Via,
                    row.Action, row.Target, row.Emergency, row.Reason, row.Outcome, row.PrevHash, row.Hash, row.Alg,
                },
                transaction).ConfigureAwait(false);
            if (affected == 2)
            {
                return row;
            }
        }

        // Takes (and locks) the head: the next sequence, and the hash to chain to.
        var head = await connection.QuerySingleAsync<HistoryRow>(
            "insert into access_history_heads (space_id, seq, hash) values (@SpaceId, 1, @genesis) " +
            "on conflict (space_id) do update set seq = access_history_heads.seq + 1 returning seq as Seq, hash as Hash",
            new { row.SpaceId, genesis = Genesis }, transaction).ConfigureAwait(false);
        row.Seq = head.Seq;
        row.PrevHash = head.Hash;
        row.Alg = Alg;
        row.Hash = HashOf(row, key);
        await connection.ExecuteAsync(
            "insert into access_history (space_id, seq, entry_id, at_ms, rpps, actor_name, profession, facility, via, action, target, emergency, reason, outcome, prev_hash, hash, alg) " +
            "values (@SpaceId, @Seq, @EntryId, @AtMs, @Rpps, @ActorName, @Profession, @Facility, @Via, @Action, @Target, @Emergency, @Reason, @Outcome, @PrevHash, @Hash, @Alg); " +
            "update access_history_heads set hash = @Hash where space_id = @SpaceId",
            row, transaction).ConfigureAwait(false);
        return row;
    }

    /// <summary>
    /// HMAC-SHA256 (plain SHA-256 for legacy entries) over every field, each length-prefixed so
    /// that no two different rows share an encoding, and over the previous hash, which chains the rows.
    /// </summary>
    public static string HashOf(HistoryRow row, byte[] key)
    {
        ArgumentNullException.ThrowIfNull(row);
        var builder = new StringBuilder(512);
        foreach (var field in new[]
        {
            row.SpaceId, row.Seq.ToString(CultureInfo.InvariantCulture), row.EntryId, row.AtMs.ToString(CultureInfo.InvariantCulture), row.Rpps,
            row.ActorName, row.Profession, row.Facility, row.Via, row.Action, row.Target, row.Emergency.ToString(CultureInfo.InvariantCulture),
            row.Reason, row.Outcome, row.PrevHash,
        })
        {
            builder.Append(field is null ? "-1" : field.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(field).Append('|');
        }

        var bytes = Encoding.UTF8.GetBytes(builder.ToString());
        return Convert.ToHexStringLower(row.Alg == LegacyAlg ? SHA256.HashData(bytes) : HMACSHA256.HashData(key, bytes));
    }

    /// <summary>Recomputes the chain in order, in pages, and reports the first row that does not hold.</summary>
    public static async Task<HistoryVerification> VerifyAsync(DbConnection connection, DbTransaction? transaction, string spaceId, byte[] key)
    {
        var previous = Genesis;
        long expected = 1;
        long count = 0;
        while (true)
        {
            var page = (await connection.QueryAsync<HistoryRow>(
                $"select {Columns} from access_history where space_id = @spaceId and seq >= @expected order by seq limit 1000",
                new { spaceId, expected }, transaction).ConfigureAwait(false)).ToList();
            foreach (var row in page)
            {
                // A missing sequence, a broken link or a changed field all break the chain here.
                if (row.Seq != expected || row.PrevHash != previous || HashOf(row, key) != row.Hash)
                {
                    return new HistoryVerification(false, count, expected, previous);
                }

                previous = row.Hash;
                expected++;
                count++;
            }

            if (page.Count < 1000)
            {
                // The last entry must be the head: entries removed from the end show here.
                var head = await connection.QuerySingleOrDefaultAsync<HistoryRow>(
                    "select seq as Seq, hash as Hash from access_history_heads where space_id = @spaceId", new { spaceId }, transaction).ConfigureAwait(false);
                if ((head?.Seq ?? 0) != count || (head is not null && head.Hash != previous))
                {
                    return new HistoryVerification(false, count, count + 1, previous);
                }

                return new HistoryVerification(true, count, null, count == 0 ? null : previous);
            }
        }
    }
}

/// <summary>A space's history head: the last sequence and its hash.</summary>
public sealed record HistoryHead(long Seq, string Hash);

/// <summary>
/// The head the activation last committed, and the one its current call last wrote (a call may
/// append twice), so the next append can chain without reading the head back.
/// </summary>
public sealed class HistoryHeadMemory
{
    private HistoryHead? committed;
    private HistoryHead? latest;
    private object? latestCall;

    /// <summary>The head to chain to in <paramref name="call"/>, if known.</summary>
    public HistoryHead? For(object call) => ReferenceEquals(call, latestCall) ? latest : committed;

    public void Appended(object call, HistoryHead head)
    {
        latestCall = call;
        latest = head;
    }

    public void Committed(HistoryHead head) => committed = head;
}

/// <summary>One history row as stored.</summary>
public sealed class HistoryRow
{
    public string SpaceId { get; set; } = "";
    public long Seq { get; set; }
    public string EntryId { get; set; } = "";
    public long AtMs { get; set; }
    public string Rpps { get; set; } = "";
    public string? ActorName { get; set; }
    public string? Profession { get; set; }
    public string? Facility { get; set; }
    public string? Via { get; set; }
    public string Action { get; set; } = "";
    public string? Target { get; set; }
    public int Emergency { get; set; }
    public string? Reason { get; set; }
    public string Outcome { get; set; } = "";
    public string PrevHash { get; set; } = "";
    public string Hash { get; set; } = "";
    public string Alg { get; set; } = AccessHistory.Alg;

    public AccessHistoryEntry ToEntry() => new(
        Guid.Parse(EntryId), Seq, DateTimeOffset.FromUnixTimeMilliseconds(AtMs), Rpps, ActorName, Profession, Facility, Via,
        Enum.Parse<AccessAction>(Action), Target, Emergency == 1, Reason, Enum.Parse<AccessOutcome>(Outcome));
}
