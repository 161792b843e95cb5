using System.Data.Common;
using MonEspaceSante.Spaces;
using Npgsql;
using NpgsqlTypes;

namespace MonEspaceSante.Enrolment;

/// <summary>
/// Binary COPY into grains and directory: PostgreSQL's fastest load path, inside the batch's
/// transaction. Fields are written synchronously: they land in Npgsql's buffer, and per-field
/// async calls cost more than the rare buffer flush they would not block.
/// </summary>
public sealed class PostgresBulkWriter : IEnrolmentBulkWriter
{
    public async Task WriteAsync(DbConnection connection, DbTransaction transaction, string importId, IReadOnlyList<NewSpaceRow> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var npgsql = (NpgsqlConnection)connection;
        await using (var grains = await npgsql.BeginBinaryImportAsync(
            "copy grains (grain_type, grain_id, version, state, status, due_at_ms, updated_at_ms) from stdin (format binary)", cancellationToken).ConfigureAwait(false))
        {
            foreach (var row in rows)
            {
                grains.StartRow();
                grains.Write(PatientSpaceGrain.GrainType, NpgsqlDbType.Text);
                grains.Write(row.SpaceId, NpgsqlDbType.Text);
                grains.Write(1L, NpgsqlDbType.Bigint);
                grains.Write(row.StateUtf8, NpgsqlDbType.Json);
                grains.Write(row.Status, NpgsqlDbType.Text);
                grains.Write(row.DueAtMs, NpgsqlDbType.Bigint);
                grains.Write(row.NowMs, NpgsqlDbType.Bigint);
            }

            await grains.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var directory = await npgsql.BeginBinaryImportAsync(
            "copy directory (kind, key, grain_id, import_id, line) from stdin (format binary)", cancellationToken).ConfigureAwait(false);
        foreach (var row in rows)
        {
            directory.StartRow();
            directory.Write(SpaceDirectory.NirKind, NpgsqlDbType.Text);
            directory.Write(row.NirKey, NpgsqlDbType.Text);
            directory.Write(row.SpaceId, NpgsqlDbType.Text);
            directory.Write(importId, NpgsqlDbType.Text);
            directory.Write(row.Line, NpgsqlDbType.Bigint);
        }

        await directory.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }
}
