using System.Data.Common;

namespace MonEspaceSante.Storage;

/// <summary>
/// The database transaction of the grain call running now, if any. A grain that must commit its
/// state together with rows (its access history, feed notifications, jobs, document rows) opens
/// one, does its row work on <see cref="Connection"/>, then calls its <c>IPersistentState</c>'s
/// write: <see cref="GrainStateStorage"/> finds the transaction here and writes the state inside
/// it, with its version check, instead of committing on its own. The ambient value flows with the
/// call's async context only, so concurrent activations never see each other's transaction.
/// </summary>
public sealed class GrainTransaction : IAsyncDisposable
{
    private static readonly AsyncLocal<GrainTransaction?> Ambient = new();

    private bool disposed;

    private GrainTransaction(DbConnection connection, DbTransaction transaction)
    {
        Connection = connection;
        Transaction = transaction;
    }

    /// <summary>The transaction the current grain call has open, or null.</summary>
    public static GrainTransaction? Current => Ambient.Value is { disposed: false } current ? current : null;

    public DbConnection Connection { get; }

    public DbTransaction Transaction { get; }

    /// <summary>The state's indexed projection for schedulers, written with the state (see migration 0001).</summary>
    public string? Status { get; set; }

    /// <summary>When a scheduler must next act on this grain (automatic activation, purge); null for never.</summary>
    public DateTimeOffset? DueAt { get; set; }

    /// <summary>True once the state was written in this transaction: after that a failed commit leaves the caller's ETag ahead of the database.</summary>
    public bool StateWritten { get; internal set; }

    public static async Task<GrainTransaction> BeginAsync(IDatabase database, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var transaction = await database.BeginAsync(connection, cancellationToken).ConfigureAwait(false);
            return new GrainTransaction(connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Makes this the transaction of the calling async flow. It must be called from the grain
    /// call's own method, not inside an async helper: a value an async method gives an
    /// AsyncLocal is undone when that method returns.
    /// </summary>
    public GrainTransaction Enlist()
    {
        Ambient.Value = this;
        return this;
    }

    public Task CommitAsync(CancellationToken cancellationToken = default) => Transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        // Not taken off the AsyncLocal here (this async method could not undo it for its
        // caller): once disposed it simply stops being Current.
        disposed = true;
        await Transaction.DisposeAsync().ConfigureAwait(false);
        await Connection.DisposeAsync().ConfigureAwait(false);
    }
}
