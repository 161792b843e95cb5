using System.Data.Common;
using MonEspaceSante.Spaces;
using Npgsql;
using NpgsqlTypes;

namespace MonEspaceSante.Enrolment;

/// <summary>Binary COPY into grains and directory: PostgreSQL's fastest load path, inside the batch's transaction.</summary>
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
                await grains.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await grains.WriteAsync(PatientSpaceGrain.GrainType, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await grains.WriteAsync(row.SpaceId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await grains.WriteAsync(1L, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await grains.WriteAsync(row.StateJson, NpgsqlDbType.Jsonb, cancellationToken).ConfigureAwait(false);
                await grains.WriteAsync(row.Status, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await grains.WriteAsync(row.DueAtMs, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await grains.WriteAsync(row.NowMs, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            }

            await grains.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var directory = await npgsql.BeginBinaryImportAsync(
            "copy directory (kind, key, grain_id, import_id, line) from stdin (format binary)", cancellationToken).ConfigureAwait(false);
        foreach (var row in rows)
        {
            await directory.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await directory.WriteAsync(SpaceDirectory.NirKind, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await directory.WriteAsync(row.NirKey, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await directory.WriteAsync(row.SpaceId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await directory.WriteAsync(importId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await directory.WriteAsync(row.Line, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
        }

        await directory.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }
}
