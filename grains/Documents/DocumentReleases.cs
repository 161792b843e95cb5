using System.Globalization;
using System.Text.Json;
using Dapper;
using MonEspaceSante.Jobs;
using MonEspaceSante.Runtime;
using MonEspaceSante.Spaces;

namespace MonEspaceSante.Documents;

/// <summary>
/// A document held back from the patient until a date is announced to them on that date, not
/// when it arrived: the notification would otherwise reveal what the hold protects.
/// </summary>
public sealed class DocumentReleases(GrainRuntime runtime) : IJobHandler
{
    public const string JobKind = "document-release";

    public string Kind => JobKind;

    public static JobRecord Job(Guid spaceId, Guid documentId, DateTimeOffset releaseAt) =>
        new($"{JobKind}:{documentId:N}", JobKind, $"{spaceId}:{documentId}", releaseAt);

    public async Task HandleAsync(ClaimedJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var parts = job.Payload.Split(':');
        var spaceId = parts[0];
        var documentId = parts[1];
        await runtime.SharedCallAsync<PatientSpaceState, bool>(PatientSpaceGrain.GrainType, spaceId, GrainJsonContext.Default.PatientSpaceState, async ctx =>
        {
            var row = await ctx.Connection.QuerySingleOrDefaultAsync<DocumentRow>(
                $"select {DocumentRow.Columns} from documents where space_id = @spaceId and document_id = @documentId",
                new { spaceId, documentId }, ctx.Transaction).ConfigureAwait(false);
            // Released by hand already (notified then), deleted, or not yet due: nothing to say.
            if (ctx.State is null || row is null || row.HiddenFromPatient == 0 || row.Status != nameof(DocumentStatus.Current) || !row.IsVisibleToPatient(ctx.Now))
            {
                return false;
            }

            ctx.Notify(spaceId, PatientDocumentsGrain.AddedKind, PatientDocumentsGrain.AddedPayload(row));
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }
}
