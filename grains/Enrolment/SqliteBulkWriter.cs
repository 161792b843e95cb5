using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;
using MonEspaceSante.Spaces;

namespace MonEspaceSante.Enrolment;

/// <summary>SQLite has no COPY; prepared inserts reused across the batch inside one transaction come close.</summary>
public sealed class SqliteBulkWriter : IEnrolmentBulkWriter
{
    public async Task WriteAsync(DbConnection connection, DbTransaction transaction, string importId, IReadOnlyList<NewSpaceRow> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var lite = (SqliteConnection)connection;
        await using var grains = lite.CreateCommand();
        grains.Transaction = (SqliteTransaction)transaction;
        grains.CommandText = "insert into grains (grain_type, grain_id, version, state, status, due_at_ms, updated_at_ms) values ($type, $id, 1, $state, $status, $due, $now)";
        var gType = grains.Parameters.Add("$type", SqliteType.Text);
        var gId = grains.Parameters.Add("$id", SqliteType.Text);
        var gState = grains.Parameters.Add("$state", SqliteType.Text);
        var gStatus = grains.Parameters.Add("$status", SqliteType.Text);
        var gDue = grains.Parameters.Add("$due", SqliteType.Integer);
        var gNow = grains.Parameters.Add("$now", SqliteType.Integer);

        await using var directory = lite.CreateCommand();
        directory.Transaction = (SqliteTransaction)transaction;
        directory.CommandText = "insert into directory (kind, key, grain_id, import_id, line) values ($kind, $key, $id, $import, $line)";
        var dKind = directory.Parameters.Add("$kind", SqliteType.Text);
        var dKey = directory.Parameters.Add("$key", SqliteType.Text);
        var dId = directory.Parameters.Add("$id", SqliteType.Text);
        var dImport = directory.Parameters.Add("$import", SqliteType.Text);
        var dLine = directory.Parameters.Add("$line", SqliteType.Integer);

        gType.Value = PatientSpaceGrain.GrainType;
        dKind.Value = SpaceDirectory.NirKind;
        dImport.Value = importId;
        foreach (var row in rows)
        {
            gId.Value = row.SpaceId;
            gState.Value = Encoding.UTF8.GetString(row.StateUtf8);
            gStatus.Value = row.Status;
            gDue.Value = row.DueAtMs;
            gNow.Value = row.NowMs;
            await grains.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

            dKey.Value = row.NirKey;
            dId.Value = row.SpaceId;
            dLine.Value = row.Line;
            await directory.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
