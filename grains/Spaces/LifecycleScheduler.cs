using Microsoft.Extensions.DependencyInjection;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MonEspaceSante.Runtime;
using MonEspaceSante.Storage;

namespace MonEspaceSante.Spaces;

public sealed class LifecycleOptions
{
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);
    public int BatchSize { get; set; } = 500;
    public bool Enabled { get; set; } = true;
}

/// <summary>
/// Activates spaces still waiting after their 6 weeks and purges closed spaces after their
/// retention. Every silo may run it at once: each space is changed through its grain, whose
/// version check lets exactly one outcome win against any racing activation or opposition.
/// </summary>
public sealed class LifecycleScheduler(
    IDatabase database,
    IGrainReferences grains,
    [FromKeyedServices(PlatformClock.Key)] TimeProvider time,
    IOptions<LifecycleOptions> options,
    ILogger<LifecycleScheduler> logger) : PeriodicService(logger)
{
    public sealed record PassResult(int Activated, int Purged);

    public async Task<PassResult> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var activated = await SweepAsync(SpaceStatus.Created, id => grains.GetPatientSpace(id).AutoActivateAsync(), cancellationToken).ConfigureAwait(false);
        var purged = await SweepAsync(SpaceStatus.Closed, id => grains.GetPatientSpace(id).PurgeAsync(), cancellationToken).ConfigureAwait(false);
        if (activated + purged > 0)
        {
            logger.LogInformation("Lifecycle pass: {Activated} spaces activated automatically, {Purged} purged", activated, purged);
        }

        return new PassResult(activated, purged);
    }

    protected override bool Enabled => options.Value.Enabled;

    protected override TimeSpan Interval => options.Value.Interval;

    protected override TimeProvider PauseClock => time;

    protected override Task RunPassAsync(CancellationToken cancellationToken) => RunOnceAsync(cancellationToken);

    private async Task<int> SweepAsync(SpaceStatus status, Func<Guid, Task<bool>> act, CancellationToken cancellationToken)
    {
        var done = 0;
        var after = "";
        while (true)
        {
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            var ids = (await connection.QueryAsync<string>(new CommandDefinition(
                "select grain_id from grains where grain_type = @type and status = @status and due_at_ms <= @now and grain_id > @after " +
                "order by grain_id limit @limit",
                new { type = PatientSpaceGrain.GrainType, status = status.ToString(), now = time.GetUtcNow().ToUnixTimeMilliseconds(), after, limit = options.Value.BatchSize },
                cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
            await connection.DisposeAsync().ConfigureAwait(false);
            if (ids.Count == 0)
            {
                return done;
            }

            foreach (var id in ids)
            {
                if (await act(Guid.Parse(id)).ConfigureAwait(false))
                {
                    done++;
                }
            }

            after = ids[^1];
        }
    }
}
