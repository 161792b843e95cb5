using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace MonEspaceSante.Storage;

/// <summary>The embedded default: one SQLite file in WAL mode, so readers never wait for the writer.</summary>
public sealed class SqliteDatabase : IDatabase
{
    private readonly string connectionString;

    public SqliteDatabase(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();

        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "pragma journal_mode=wal;";
        command.ExecuteNonQuery();
    }

    public DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public SqlDialect Dialect => SqlDialect.Sqlite;

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = connection.CreateCommand())
        {
            // busy_timeout makes a second writer wait for the lock instead of failing at once.
            command.CommandText = "pragma busy_timeout=30000; pragma synchronous=normal; pragma foreign_keys=on;";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return connection;
    }

    public Task<DbTransaction> BeginAsync(DbConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        // Microsoft.Data.Sqlite opens BEGIN IMMEDIATE unless deferred is asked for.
        return Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));
    }
}
