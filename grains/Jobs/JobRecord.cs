namespace MonEspaceSante.Jobs;

/// <summary>A unit of background work. <see cref="Id"/> is chosen by the producer so re-enqueuing the same work is a no-op.</summary>
public sealed record JobRecord(string Id, string Kind, string Payload, DateTimeOffset RunAt)
{
    public static JobRecord Create(string kind, string payload, DateTimeOffset runAt) => new(Guid.NewGuid().ToString("N"), kind, payload, runAt);
}

public sealed record ClaimedJob(string Id, string Kind, string Payload, int Attempts);
