using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MonEspaceSante.Runtime;

namespace MonEspaceSante.Jobs;

public sealed class JobRunnerOptions
{
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    public int BatchSize { get; set; } = 16;
    public bool Enabled { get; set; } = true;
}

/// <summary>One per silo: claims due jobs of the kinds it has handlers for and runs them.</summary>
public sealed class JobRunner(JobQueue queue, IEnumerable<IJobHandler> handlers, IOptions<JobRunnerOptions> options, ILogger<JobRunner> logger)
    : PeriodicService(logger)
{
    private readonly Dictionary<string, IJobHandler> byKind = handlers.ToDictionary(h => h.Kind, StringComparer.Ordinal);

    /// <summary>Runs every due job once; returns how many ran. Tests call this to drive the queue deterministically.</summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken = default)
    {
        var total = 0;
        while (true)
        {
            var jobs = await queue.ClaimAsync(byKind.Keys, options.Value.BatchSize, cancellationToken).ConfigureAwait(false);
            if (jobs.Count == 0)
            {
                return total;
            }

            foreach (var job in jobs)
            {
                try
                {
                    await byKind[job.Kind].HandleAsync(job, cancellationToken).ConfigureAwait(false);
                    await queue.CompleteAsync(job.Id, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    logger.LogWarning(exception, "Job {JobId} of kind {Kind} failed (attempt {Attempt})", job.Id, job.Kind, job.Attempts);
                    await queue.FailAsync(job, exception.GetType().Name + ": " + exception.Message, cancellationToken).ConfigureAwait(false);
                }

                total++;
            }
        }
    }

    protected override bool Enabled => options.Value.Enabled;

    protected override TimeSpan Interval => options.Value.PollInterval;

    protected override Task RunPassAsync(CancellationToken cancellationToken) => RunDueAsync(cancellationToken);
}
