using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using MonEspaceSante.Storage;
using Npgsql;
using NpgsqlTypes;

namespace MonEspaceSante.Professionals;

/// <summary>
/// Upserts a batch of professionals in one transaction. A row is rewritten only when one of its
/// values differs, so re-importing the same extract writes nothing (no dead rows on PostgreSQL,
/// <c>updated_at_ms</c> keeps the date of the last real change) and the count of rows written
/// is the count of professionals created or changed. PostgreSQL receives the batch by binary
/// COPY into a staging table, then one upsert; SQLite, which has no COPY, one prepared upsert
/// per row, inside the same transaction.
/// </summary>
public sealed class ProfessionalWriter(IDatabase database)
{
    private const string Columns =
        "rpps, last_name, first_name, profession_code, profession, specialty, facility_finess, facility_name, city, " +
        "search_name, search_first_last, search_profession, search_city, updated_at_ms";

    private static readonly string[] Compared =
    [
        "last_name", "first_name", "profession_code", "profession", "specialty", "facility_finess", "facility_name", "city",
        "search_name", "search_first_last", "search_profession", "search_city",
    ];

    private static readonly string OnConflict =
        " on conflict (rpps) do update set " + string.Join(", ", Compared.Append("updated_at_ms").Select(c => $"{c} = excluded.{c}")) +
        " where " + string.Join(" or ", Compared.Select(c => $"professionals.{c} is distinct from excluded.{c}"));

    /// <summary>Writes the batch; returns how many professionals were created or changed.</summary>
    public async Task<int> UpsertAsync(IReadOnlyList<ProfessionalRecord> batch, long nowMs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        // Rows in key order: two imports running at once lock rows in the same order, so they
        // wait for each other instead of deadlocking.
        var rows = batch.OrderBy(r => r.Info.Rpps, StringComparer.Ordinal).ToList();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
                await using var transaction = await database.BeginAsync(connection, cancellationToken).ConfigureAwait(false);
                var changed = database.Provider == DatabaseProvider.Postgres
                    ? await UpsertPostgresAsync((NpgsqlConnection)connection, transaction, rows, nowMs, cancellationToken).ConfigureAwait(false)
                    : await UpsertSqliteAsync((SqliteConnection)connection, (SqliteTransaction)transaction, rows, nowMs, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return changed;
            }
            catch (Exception exception) when (attempt < 5 && database.Dialect.IsTransient(exception))
            {
                // A serialisation failure or deadlock with another writer: the batch is whole or absent, so it is simply run again.
            }
        }
    }

    private static async Task<int> UpsertPostgresAsync(NpgsqlConnection connection, DbTransaction transaction, IReadOnlyList<ProfessionalRecord> rows, long nowMs, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync("create temp table professionals_batch (like professionals) on commit drop", transaction: transaction).ConfigureAwait(false);
        await using (var copy = await connection.BeginBinaryImportAsync($"copy professionals_batch ({Columns}) from stdin (format binary)", cancellationToken).ConfigureAwait(false))
        {
            foreach (var row in rows)
            {
                var info = row.Info;
                copy.StartRow();
                copy.Write(info.Rpps, NpgsqlDbType.Text);
                copy.Write(info.LastName, NpgsqlDbType.Text);
                copy.Write(info.FirstName, NpgsqlDbType.Text);
                copy.Write(info.ProfessionCode, NpgsqlDbType.Text);
                copy.Write(info.Profession, NpgsqlDbType.Text);
                WriteNullable(copy, info.Specialty);
                WriteNullable(copy, info.FacilityFiness);
                WriteNullable(copy, info.FacilityName);
                WriteNullable(copy, info.City);
                copy.Write(row.SearchName, NpgsqlDbType.Text);
                copy.Write(row.SearchFirstLast, NpgsqlDbType.Text);
                copy.Write(row.SearchProfession, NpgsqlDbType.Text);
                WriteNullable(copy, row.SearchCity);
                copy.Write(nowMs, NpgsqlDbType.Bigint);
            }

            await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        return await connection.ExecuteAsync(
            $"insert into professionals ({Columns}) select {Columns} from professionals_batch" + OnConflict, transaction: transaction).ConfigureAwait(false);
    }

    private static void WriteNullable(NpgsqlBinaryImporter copy, string? value)
    {
        if (value is null)
        {
            copy.WriteNull();
        }
        else
        {
            copy.Write(value, NpgsqlDbType.Text);
        }
    }

    private static async Task<int> UpsertSqliteAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<ProfessionalRecord> rows, long nowMs, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var names = Columns.Split(", ");
        command.CommandText = $"insert into professionals ({Columns}) values ({string.Join(", ", names.Select(n => "$" + n))})" + OnConflict;
        var parameters = names.ToDictionary(n => n, n => command.Parameters.Add("$" + n, n == "updated_at_ms" ? SqliteType.Integer : SqliteType.Text), StringComparer.Ordinal);
        parameters["updated_at_ms"].Value = nowMs;
        var changed = 0;
        foreach (var row in rows)
        {
            var info = row.Info;
            parameters["rpps"].Value = info.Rpps;
            parameters["last_name"].Value = info.LastName;
            parameters["first_name"].Value = info.FirstName;
            parameters["profession_code"].Value = info.ProfessionCode;
            parameters["profession"].Value = info.Profession;
            parameters["specialty"].Value = (object?)info.Specialty ?? DBNull.Value;
            parameters["facility_finess"].Value = (object?)info.FacilityFiness ?? DBNull.Value;
            parameters["facility_name"].Value = (object?)info.FacilityName ?? DBNull.Value;
            parameters["city"].Value = (object?)info.City ?? DBNull.Value;
            parameters["search_name"].Value = row.SearchName;
            parameters["search_first_last"].Value = row.SearchFirstLast;
            parameters["search_profession"].Value = row.SearchProfession;
            parameters["search_city"].Value = (object?)row.SearchCity ?? DBNull.Value;
            changed += await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return changed;
    }
}
