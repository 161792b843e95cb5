using Microsoft.Extensions.DependencyInjection;
using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MonEspaceSante.Storage;

namespace MonEspaceSante.Content;

/// <summary>
/// Keeps the content store free of objects no document points at. An upload registers its
/// object before writing it; the transaction that records the document removes the entry; a
/// deleted document's object is entered in the deleting transaction and removed right after
/// commit. Whatever a crash or a dropped connection leaves behind, the sweeper removes once
/// the entry is older than the grace period (long enough for the slowest legitimate upload).
/// </summary>
public sealed class ContentOrphans(IDatabase database, IContentStore store, IOptions<ContentOptions> options, [FromKeyedServices(PlatformClock.Key)] TimeProvider time, ILogger<ContentOrphans> logger)
{
    public async Task RegisterAsync(string contentKey, string spaceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await database.BeginAsync(connection, cancellationToken).ConfigureAwait(false);
        await RegisterAsync(connection, transaction, contentKey, spaceId, time.GetUtcNow()).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Registers an object about to be written, in the caller's transaction.</summary>
    public static Task RegisterAsync(DbConnection connection, DbTransaction transaction, string contentKey, string spaceId, DateTimeOffset now)
    {
        var registration = Registration(contentKey, spaceId, now);
        return connection.ExecuteAsync(registration.Sql, registration.Parameters, transaction);
    }

    /// <summary>The registration of an object about to be written, as a write made with a grain call's commit.</summary>
    public static CommitWrite Registration(string contentKey, string spaceId, DateTimeOffset now) => new(
        "insert into content_orphans (content_key, space_id, since_ms) values (@contentKey, @spaceId, @now)",
        new { contentKey, spaceId, now = now.ToUnixTimeMilliseconds() });

    /// <summary>The content is now referenced by a document written in this transaction.</summary>
    public static Task AdoptAsync(DbConnection connection, DbTransaction transaction, string contentKey) =>
        connection.ExecuteAsync("delete from content_orphans where content_key = @contentKey", new { contentKey }, transaction);

    /// <summary>The content is no longer referenced (its document is deleted in this transaction); sweepable at once.</summary>
    public static Task AbandonAsync(DbConnection connection, DbTransaction transaction, string contentKey, string spaceId) =>
        connection.ExecuteAsync(
            "insert into content_orphans (content_key, space_id, since_ms) values (@contentKey, @spaceId, 0) on conflict (content_key) do nothing",
            new { contentKey, spaceId }, transaction);

    /// <summary>Deletes the object, then its entry. A failure leaves the entry for the sweeper.</summary>
    public async Task DiscardAsync(string contentKey, CancellationToken cancellationToken)
    {
        try
        {
            await store.DeleteAsync(contentKey, cancellationToken).ConfigureAwait(false);
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                "delete from content_orphans where content_key = @contentKey", new { contentKey }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogWarning(exception, "Could not discard content {ContentKey}; the sweeper will retry", contentKey);
        }
    }

    /// <summary>Removes objects whose entry is older than the grace period. Returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var before = (time.GetUtcNow() - options.Value.OrphanGrace).ToUnixTimeMilliseconds();
        List<string> keys;
        await using (var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            keys = (await connection.QueryAsync<string>(new CommandDefinition(
                "select content_key from content_orphans where since_ms < @before order by since_ms limit 500",
                new { before }, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
        }

        foreach (var key in keys)
        {
            await DiscardAsync(key, cancellationToken).ConfigureAwait(false);
        }

        return keys.Count;
    }
}
