namespace MonEspaceSante.Enrolment;

public enum ImportStatus
{
    Queued,
    Running,
    Completed,
    Failed,
}

public sealed record ImportProgress(
    Guid ImportId,
    ImportStatus Status,
    string FileName,
    long TotalRows,
    long RowsDone,
    long Accepted,
    long Rejected,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt,
    string? Error);

public sealed record ImportRejection(long Line, string Reason);

public sealed record RejectionPage(IReadOnlyList<ImportRejection> Items, long? NextAfterLine);
