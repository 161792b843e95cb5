using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace MonEspaceSante.Storage;

/// <summary>The few places where PostgreSQL and SQLite SQL differ.</summary>
public sealed class SqlDialect
{
    private SqlDialect(DatabaseProvider provider) => Provider = provider;

    public static SqlDialect Postgres { get; } = new(DatabaseProvider.Postgres);
    public static SqlDialect Sqlite { get; } = new(DatabaseProvider.Sqlite);

    public DatabaseProvider Provider { get; }

    /// <summary>A JSON parameter: jsonb on PostgreSQL, text on SQLite.</summary>
    public string Json(string parameter) => Provider == DatabaseProvider.Postgres ? $"cast({parameter} as jsonb)" : parameter;

    /// <summary>A grain state parameter: json on PostgreSQL (validated, stored as given; see migration 0003), text on SQLite.</summary>
    public string GrainState(string parameter) => Provider == DatabaseProvider.Postgres ? $"cast({parameter} as json)" : parameter;

    /// <summary>Row locking for queue claims; SQLite has a single writer, so it needs none.</summary>
    /// <summary>
    /// Locks read rows against writers but not against other readers. SQLite needs nothing: its
    /// write transactions (BEGIN IMMEDIATE) are serialised already.
    /// </summary>
    public string ForShare => Provider == DatabaseProvider.Postgres ? "for share" : string.Empty;

    /// <summary>Locks read rows against other writers (nothing on SQLite, whose writers are serialised).</summary>
    public string ForUpdate => Provider == DatabaseProvider.Postgres ? "for update" : string.Empty;

    public string SkipLocked => Provider == DatabaseProvider.Postgres ? "for update skip locked" : string.Empty;

    public bool IsUniqueViolation(Exception exception) => exception switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException lite => lite.SqliteErrorCode == 19 && (lite.SqliteExtendedErrorCode is 1555 or 2067),
        DbException { InnerException: { } inner } => IsUniqueViolation(inner),
        _ => false,
    };

    /// <summary>True for errors a grain call retries: serialization failures and deadlocks.</summary>
    public bool IsTransient(Exception exception) => exception switch
    {
        PostgresException pg => pg.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected,
        SqliteException lite => lite.SqliteErrorCode is 5 or 6, // SQLITE_BUSY, SQLITE_LOCKED
        _ => false,
    };
}
