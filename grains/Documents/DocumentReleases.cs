namespace MonEspaceSante.Documents;

/// <summary>
/// A document held back from the patient until a date is announced to them on that date, not
/// when it arrived: the notification would otherwise reveal what the hold protects. The job
/// asks the space's grain, which decides with the document's current row.
/// </summary>
public sealed class DocumentReleases(IGrainFactory grains) : Jobs.IJobHandler
{
    public const string JobKind = "document-release";

    public string Kind => JobKind;

    public static Jobs.JobRecord Job(Guid spaceId, Guid documentId, DateTimeOffset releaseAt) =>
        new($"{JobKind}:{documentId:N}", JobKind, $"{spaceId}:{documentId}", releaseAt);

    public async Task HandleAsync(Jobs.ClaimedJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var parts = job.Payload.Split(':');
        await grains.GetGrain<IPatientDocumentsGrain>(Guid.Parse(parts[0])).AnnounceReleaseAsync(Guid.Parse(parts[1])).ConfigureAwait(false);
    }
}
