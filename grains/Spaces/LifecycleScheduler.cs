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

    /// <summary>How long a claimed batch is one silo's before another may claim what is left of it.</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(5);
    public bool Enabled { get; set; } = true;
}

/// <summary>
/// Activates spaces still waiting after their 6 weeks, hands minors' spaces over to their
/// holders at 18 and purges closed spaces after their retention. Every silo may run it at once: each space is changed through its grain, whose
/// version check lets exactly one outcome win against any racing activation or opposition.
/// </summary>
public sealed class LifecycleScheduler(
    IDatabase database,
    IGrainFactory grains,
    [FromKeyedServices(PlatformClock.Key)] TimeProvider time,
    IOptions<LifecycleOptions> options,
    ILogger<LifecycleScheduler> logger) : PeriodicService(logger)
{
    /// <summary>What a pass did, and how many due spaces it claimed (each claimed by one silo only).</summary>
    public sealed record PassResult(int Activated, int Purged, int Claimed, int CameOfAge = 0);

    public async Task<PassResult> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var (activated, claimedToActivate) = await SweepAsync(SpaceStatus.Created, id => grains.GetPatientSpace(id).AutoActivateAsync(), cancellationToken).ConfigureAwait(false);
        var (purged, claimedToPurge) = await SweepAsync(SpaceStatus.Closed, id => grains.GetPatientSpace(id).PurgeAsync(), cancellationToken).ConfigureAwait(false);
        // Active spaces carry a deadline only while they are a minor's with guardians: their 18th birthday.
        var (cameOfAge, claimedAtMajority) = await SweepAsync(SpaceStatus.Active, id => grains.GetPatientSpace(id).ComeOfAgeAsync(), cancellationToken).ConfigureAwait(false);
        if (activated + purged + cameOfAge > 0)
        {
            logger.LogInformation("Lifecycle pass: {Activated} spaces activated automatically, {Purged} purged, {CameOfAge} handed over at 18", activated, purged, cameOfAge);
        }

        return new PassResult(activated, purged, claimedToActivate + claimedToPurge + claimedAtMajority, cameOfAge);
    }

    protected override bool Enabled => options.Value.Enabled;

    protected override TimeSpan Interval => options.Value.Interval;

    protected override TimeProvider PauseClock => time;

    protected override Task RunPassAsync(CancellationToken cancellationToken) => RunOnceAsync(cancellationToken);

    /// <summary>
    /// Claims due spaces in batches and acts on each through its grain. The deadline is the
    /// space row's <c>due_at_ms</c>, which the grain writes in the same transaction as its state;
    /// a claim moves it a lease ahead, so silos sweeping at once take disjoint batches (on
    /// PostgreSQL, SKIP LOCKED lets them pass each other's open claims), and a silo that dies
    /// holding a batch leaves it to be claimed again when the lease ends. The grain decides
    /// from its own state: a stale or doubled claim changes nothing, and the grain's next write
    /// sets the row's deadline from its state again.
    /// </summary>
    private async Task<(int Done, int Claimed)> SweepAsync(SpaceStatus status, Func<Guid, Task<bool>> act, CancellationToken cancellationToken)
    {
        var done = 0;
        var claimed = 0;
        var sql = database.Provider == DatabaseProvider.Postgres
            ? "update grains set due_at_ms = @lease where (grain_type, grain_id) in (" +
              "select grain_type, grain_id from grains where grain_type = @type and status = @status and due_at_ms <= @now " +
              "order by due_at_ms limit @limit for update skip locked) returning grain_id"
            : "update grains set due_at_ms = @lease where rowid in (" +
              "select rowid from grains where grain_type = @type and status = @status and due_at_ms <= @now " +
              "order by due_at_ms limit @limit) returning grain_id";
        while (true)
        {
            var now = time.GetUtcNow();
            List<string> ids;
            await using (var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false))
            {
                ids = (await connection.QueryAsync<string>(new CommandDefinition(sql, new
                {
                    type = PatientSpaceGrain.GrainType,
                    status = status.ToString(),
                    now = now.ToUnixTimeMilliseconds(),
                    lease = (now + options.Value.ClaimLease).ToUnixTimeMilliseconds(),
                    limit = options.Value.BatchSize,
                }, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
            }

            if (ids.Count == 0)
            {
                return (done, claimed);
            }

            claimed += ids.Count;
            foreach (var id in ids)
            {
                if (await act(Guid.Parse(id)).ConfigureAwait(false))
                {
                    done++;
                }
            }
        }
    }
}
