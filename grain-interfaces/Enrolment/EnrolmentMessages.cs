using Orleans;

namespace MonEspaceSante.Enrolment;

[GenerateSerializer]
[Alias("mes.ImportStatus")]
public enum ImportStatus
{
    Queued,
    Running,
    Completed,
    Failed,
}

[GenerateSerializer]
[Alias("mes.ImportProgress")]
public sealed record ImportProgress(
    [property: Id(0)] Guid ImportId,
    [property: Id(1)] ImportStatus Status,
    [property: Id(2)] string FileName,
    [property: Id(3)] long TotalRows,
    [property: Id(4)] long RowsDone,
    [property: Id(5)] long Accepted,
    [property: Id(6)] long Rejected,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8)] DateTimeOffset? FinishedAt,
    [property: Id(9)] string? Error);

[GenerateSerializer]
[Alias("mes.ImportRejection")]
public sealed record ImportRejection([property: Id(0)] long Line, [property: Id(1)] string Reason);

[GenerateSerializer]
[Alias("mes.RejectionPage")]
public sealed record RejectionPage([property: Id(0)] IReadOnlyList<ImportRejection> Items, [property: Id(1)] long? NextAfterLine);
