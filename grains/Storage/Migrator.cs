using Microsoft.Extensions.DependencyInjection;
using System.Data.Common;
using System.Globalization;
using System.Reflection;
using Dapper;
using Microsoft.Extensions.Logging;

namespace MonEspaceSante.Storage;

/// <summary>
/// Applies the numbered SQL scripts embedded under Storage/Migrations/{Provider}/ in order,
/// each in its own transaction, recording them in schema_migrations. Hand-written SQL rather
/// than EF Core migrations because the grain tables are written by hand-written SQL and binary
/// COPY anyway, and one script per provider keeps both schemas reviewable side by side.
/// Several silos starting at once serialise on an advisory lock (PostgreSQL) or the write lock (SQLite).
/// </summary>
public sealed class Migrator(IDatabase database, [FromKeyedServices(PlatformClock.Key)] TimeProvider time, ILogger<Migrator> logger)
{
    private const long AdvisoryLockKey = 0x4d45534d4947; // "MESMIG"

    public static IReadOnlyList<Migration> Load(DatabaseProvider provider)
    {
        var assembly = typeof(Migrator).Assembly;
        var marker = $".Storage.Migrations.{provider}.";
        return assembly.GetManifestResourceNames()
            .Where(name => name.Contains(marker, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name =>
            {
                var file = name[(name.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..];
                var version = int.Parse(file.AsSpan(0, file.IndexOf('_', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
                return new Migration(version, file, ReadResource(assembly, name));
            })
            .OrderBy(m => m.Version)
            .ToList();
    }

    /// <summary>Brings the schema to <paramref name="targetVersion"/> (latest when null). Returns the versions applied.</summary>
    public async Task<IReadOnlyList<int>> MigrateAsync(int? targetVersion = null, CancellationToken cancellationToken = default)
    {
        var migrations = Load(database.Provider);
        var applied = new List<int>();
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            "create table if not exists schema_migrations (version integer primary key, name text not null, applied_at_ms bigint not null)").ConfigureAwait(false);

        foreach (var migration in migrations.Where(m => targetVersion is null || m.Version <= targetVersion))
        {
            await using var transaction = await database.BeginAsync(connection, cancellationToken).ConfigureAwait(false);
            if (database.Provider == DatabaseProvider.Postgres)
            {
                await connection.ExecuteAsync("select pg_advisory_xact_lock(@key)", new { key = AdvisoryLockKey }, transaction).ConfigureAwait(false);
            }

            var done = await connection.ExecuteScalarAsync<long>(
                "select count(*) from schema_migrations where version = @version", new { version = migration.Version }, transaction).ConfigureAwait(false);
            if (done > 0)
            {
                await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            await ExecuteScriptAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);
            await connection.ExecuteAsync(
                "insert into schema_migrations (version, name, applied_at_ms) values (@version, @name, @at)",
                new { version = migration.Version, name = migration.Name, at = time.GetUtcNow().ToUnixTimeMilliseconds() },
                transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            applied.Add(migration.Version);
            logger.LogInformation("Applied migration {Migration} on {Provider}", migration.Name, database.Provider);
        }

        return applied;
    }

    public async Task<int> CurrentVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await connection.ExecuteScalarAsync<int?>("select max(version) from schema_migrations").ConfigureAwait(false) ?? 0;
        }
        catch (DbException)
        {
            return 0;
        }
    }

    private static async Task ExecuteScriptAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

public sealed record Migration(int Version, string Name, string Sql);
