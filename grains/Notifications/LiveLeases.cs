using Dapper;
using MonEspaceSante.Storage;

namespace MonEspaceSante.Notifications;

/// <summary>
/// Leases saying that a recipient has a live connection somewhere in the cluster, kept on their
/// feed head: the silo holding the connection takes the lease when it subscribes the recipient
/// and renews it while the connection stays; nothing is released, a lease simply runs out. A
/// grain learns from its feed append whether the lease is current and publishes on the
/// recipient's live stream only then (<see cref="FeedWriter"/>). A lease a dead silo left
/// behind only costs publications nobody reads until it runs out; a lease not yet taken only
/// costs the relay's latency, as before any stream.
/// </summary>
public static class LiveLeases
{
    private const int Chunk = 500;

    /// <summary>Takes the lease for one recipient (a new connection): one row, so it waits for nothing but that row.</summary>
    public static async Task TakeAsync(IDatabase database, string recipientId, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        // A head with sequence 0 when the recipient has no notification yet: the next append makes it 1.
        await connection.ExecuteAsync(new CommandDefinition(
            "insert into feed_heads (recipient_id, last_seq, live_until_ms) values (@recipientId, 0, @until) " +
            $"on conflict (recipient_id) do update set live_until_ms = {(database.Provider == DatabaseProvider.Postgres ? "greatest" : "max")}(feed_heads.live_until_ms, excluded.live_until_ms)",
            new { recipientId, until = until.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// Extends the leases of recipients still connected. On PostgreSQL a head locked by a grain's
    /// open transaction is skipped rather than waited for (a batch waiting on rows while holding
    /// others could deadlock with that transaction); a lease outlives two renewals, so one skip
    /// does not end it.
    /// </summary>
    public static async Task RenewAsync(IDatabase database, IReadOnlyCollection<string> recipientIds, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(recipientIds);
        if (recipientIds.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var chunk in recipientIds.Chunk(Chunk))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                database.Provider == DatabaseProvider.Postgres
                    ? "update feed_heads h set live_until_ms = greatest(h.live_until_ms, @until) from " +
                      "(select recipient_id from feed_heads where recipient_id = any(@ids) for update skip locked) l where h.recipient_id = l.recipient_id"
                    : "update feed_heads set live_until_ms = max(live_until_ms, @until) where recipient_id in @ids",
                new { ids = chunk, until = until.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
    }
}
