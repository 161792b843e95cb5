using System.Data.Common;

namespace MonEspaceSante.Storage;

/// <summary>
/// The system of record. Both providers speak the same SQL except where <see cref="SqlDialect"/>
/// says otherwise, and both pass the storage contract suite.
/// </summary>
public interface IDatabase
{
    DatabaseProvider Provider { get; }

    SqlDialect Dialect { get; }

    Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default);

    /// <summary>Begins a write transaction; on SQLite it takes the write lock at once (BEGIN IMMEDIATE) so it cannot deadlock on upgrade.</summary>
    Task<DbTransaction> BeginAsync(DbConnection connection, CancellationToken cancellationToken = default);
}
