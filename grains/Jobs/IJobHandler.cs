namespace MonEspaceSante.Jobs;

/// <summary>Does one kind of job. Must be idempotent: a job may run again after a crash.</summary>
public interface IJobHandler
{
    string Kind { get; }

    Task HandleAsync(ClaimedJob job, CancellationToken cancellationToken);
}
