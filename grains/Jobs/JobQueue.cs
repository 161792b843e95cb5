using Microsoft.Extensions.DependencyInjection;
using System.Data.Common;
using Dapper;
using MonEspaceSante.Storage;

namespace MonEspaceSante.Jobs;

/// <summary>
/// The durable job queue. Producers insert in their own transaction; workers on any silo claim
/// due jobs with FOR UPDATE SKIP LOCKED and a lease, so a crashed worker's job is taken again
/// when its lease runs out. Failures back off exponentially up to <see cref="MaxAttempts"/>.
/// </summary>
public sealed class JobQueue(IDatabase database, [FromKeyedServices(PlatformClock.Key)] TimeProvider time)
{
    public const int MaxAttempts = 10;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    public static Task InsertAsync(DbConnection connection, DbTransaction transaction, JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return connection.ExecuteAsync(
            "insert into jobs (id, kind, payload, status, run_at_ms, attempts, created_at_ms) values (@Id, @Kind, @Payload, 'queued', @runAt, 0, @runAt) " +
            "on conflict (id) do nothing",
            new { job.Id, job.Kind, job.Payload, runAt = job.RunAt.ToUnixTimeMilliseconds() },
            transaction);
    }

    public async Task EnqueueAsync(JobRecord job, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await database.BeginAsync(connection, cancellationToken).ConfigureAwait(false);
        await InsertAsync(connection, transaction, job).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Claims up to <paramref name="max"/> due jobs of the given kinds for this worker.</summary>
    public async Task<IReadOnlyList<ClaimedJob>> ClaimAsync(IReadOnlyCollection<string> kinds, int max, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await database.BeginAsync(connection, cancellationToken).ConfigureAwait(false);
        var kindList = database.Provider == DatabaseProvider.Postgres ? "kind = any(@kinds)" : "kind in @kinds";
        var ids = (await connection.QueryAsync<string>(
            $"select id from jobs where {kindList} and ((status = 'queued' and run_at_ms <= @now) or (status = 'running' and locked_until_ms <= @now)) " +
            $"order by run_at_ms limit @max {database.Dialect.SkipLocked}",
            new { kinds = kinds.ToArray(), now = now.ToUnixTimeMilliseconds(), max },
            transaction).ConfigureAwait(false)).ToList();

        var claimed = new List<ClaimedJob>(ids.Count);
        foreach (var id in ids)
        {
            var job = await connection.QuerySingleAsync<ClaimRow>(
                "update jobs set status = 'running', attempts = attempts + 1, locked_until_ms = @lease where id = @id " +
                "returning id as Id, kind as Kind, payload as Payload, attempts as Attempts",
                new { id, lease = (now + Lease).ToUnixTimeMilliseconds() },
                transaction).ConfigureAwait(false);
            claimed.Add(new ClaimedJob(job.Id, job.Kind, job.Payload, (int)job.Attempts));
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return claimed;
    }

    /// <summary>Marks a job done and clears its payload: sealed secrets do not outlive their delivery.</summary>
    public async Task CompleteAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            "update jobs set status = 'done', payload = '', locked_until_ms = null, last_error = null where id = @id",
            new { id }).ConfigureAwait(false);
    }

    public async Task FailAsync(ClaimedJob job, string error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var giveUp = job.Attempts >= MaxAttempts;
        var backoff = TimeSpan.FromSeconds(Math.Min(3600, 5 * Math.Pow(2, job.Attempts - 1)));
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            "update jobs set status = @status, run_at_ms = @runAt, locked_until_ms = null, last_error = @error where id = @id",
            new
            {
                id = job.Id,
                status = giveUp ? "failed" : "queued",
                runAt = (time.GetUtcNow() + backoff).ToUnixTimeMilliseconds(),
                error = error.Length > 2000 ? error[..2000] : error,
            }).ConfigureAwait(false);
    }

    /// <summary>Extends a long job's lease (an import of millions of rows) so no other worker takes it.</summary>
    public async Task RenewLeaseAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            "update jobs set locked_until_ms = @lease where id = @id and status = 'running'",
            new { id, lease = (time.GetUtcNow() + Lease).ToUnixTimeMilliseconds() }).ConfigureAwait(false);
    }

    private sealed class ClaimRow
    {
        public string Id { get; set; } = "";
        public string Kind { get; set; } = "";
        public string Payload { get; set; } = "";
        public long Attempts { get; set; }
    }
}
