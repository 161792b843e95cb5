using Microsoft.Extensions.DependencyInjection;
using System.Data.Common;
using System.Threading.Channels;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MonEspaceSante.Jobs;
using MonEspaceSante.Runtime;
using MonEspaceSante.Security;
using MonEspaceSante.Spaces;
using MonEspaceSante.Storage;

namespace MonEspaceSante.Enrolment;

/// <summary>
/// Runs an enrolment import: streams the file, validates each row, and writes accepted spaces
/// in batches. Each batch is one transaction holding the new spaces, their directory entries,
/// the batch's rejections, the job that delivers their codes, and the import's checkpoint; a
/// resumed import starts after the checkpoint, and a NIR already in the directory (an earlier
/// import, this one, or the same file again) is rejected, never created twice.
/// </summary>
public sealed class EnrolmentImporter(
    IDatabase database,
    IEnrolmentBulkWriter writer,
    EnrolmentImports imports,
    KeyRing keys,
    ActivationNotices notices,
    JobQueue queue,
    IOptions<EnrolmentOptions> options,
    IOptions<SpaceOptions> spaceOptions,
    [FromKeyedServices(PlatformClock.Key)] TimeProvider time,
    ILogger<EnrolmentImporter> logger) : IJobHandler
{
    public string Kind => EnrolmentImports.JobKind;

    public async Task HandleAsync(ClaimedJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        await RunAsync(Guid.Parse(job.Payload), job.Id, cancellationToken).ConfigureAwait(false);
    }

    public async Task RunAsync(Guid importId, string? jobId, CancellationToken cancellationToken)
    {
        var id = importId.ToString();
        var import = await LoadAsync(id, cancellationToken).ConfigureAwait(false);
        if (import is null || import.Status is "Completed" or "Failed")
        {
            return;
        }

        var path = imports.FilePath(importId);
        if (import.Status == "Queued")
        {
            await using var countStream = File.OpenRead(path);
            var total = await EnrolmentCsvReader.CountRecordsAsync(countStream, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync("update enrolment_imports set status = 'Running', total_rows = @total where id = @id", new { id, total }, cancellationToken).ConfigureAwait(false);
        }

        var validator = new EnrolmentRowValidator(DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), spaceOptions.Value.CodeValidity);

        // Two stages: a worker reads, validates and prepares batch N+1 (hashes, codes, JSON)
        // while this loop writes batch N, so the client's CPU work overlaps the server's COPY.
        // Batches are still written one at a time and in file order: the checkpoint stays a
        // single "done through line L", and each batch's directory look-up sees every earlier
        // batch of this file committed. One prepared batch waiting is enough to keep both busy.
        var prepared = Channel.CreateBounded<PreparedBatch>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(() => PrepareAsync(path, importId, validator, import.LastLine, prepared.Writer, stop.Token), CancellationToken.None);
        InvalidDataException? unreadable = null;
        try
        {
            await foreach (var batch in prepared.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await WriteBatchAsync(id, batch, cancellationToken).ConfigureAwait(false);
                if (jobId is not null)
                {
                    await queue.RenewLeaseAsync(jobId, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (InvalidDataException invalid)
        {
            unreadable = invalid;
        }
        finally
        {
            // On any exit the worker stops and lets go of the file before it may be deleted.
            await stop.CancelAsync().ConfigureAwait(false);
            await producer.ConfigureAwait(false);
        }

        if (unreadable is not null)
        {
            // A file we cannot read at all (no header, missing columns) fails the import, not the job.
            await ExecuteAsync("update enrolment_imports set status = 'Failed', error = @error, finished_at_ms = @now where id = @id",
                new { id, error = unreadable.Message, now = time.GetUtcNow().ToUnixTimeMilliseconds() }, cancellationToken).ConfigureAwait(false);
            File.Delete(path);
            return;
        }

        await ExecuteAsync("update enrolment_imports set status = 'Completed', finished_at_ms = @now where id = @id",
            new { id, now = time.GetUtcNow().ToUnixTimeMilliseconds() }, cancellationToken).ConfigureAwait(false);
        File.Delete(path);
        logger.LogInformation("Enrolment import {ImportId} completed", importId);
    }

    /// <summary>
    /// The preparing stage. Never throws: whatever stops it (an unreadable file, cancellation)
    /// completes the channel, so the writing stage first writes the batches prepared before it,
    /// as the single-stage import did, and then sees the error.
    /// </summary>
    private async Task PrepareAsync(string path, Guid importId, EnrolmentRowValidator validator, long skipThroughLine, ChannelWriter<PreparedBatch> output, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            using var preparer = new EnrolmentBatchPreparer(keys, importId, spaceOptions.Value.CodeValidity, time);
            var rows = new List<ParsedRow>(options.Value.BatchSize);
            await using var file = File.OpenRead(path);
            await foreach (var row in EnrolmentCsvReader.ReadAsync(file, validator, skipThroughLine, cancellationToken).ConfigureAwait(false))
            {
                rows.Add(row);
                if (rows.Count == options.Value.BatchSize)
                {
                    await output.WriteAsync(preparer.Prepare(rows), cancellationToken).ConfigureAwait(false);
                    rows.Clear();
                }
            }

            if (rows.Count > 0)
            {
                await output.WriteAsync(preparer.Prepare(rows), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception exception)
        {
            failure = exception;
        }
        finally
        {
            output.TryComplete(failure);
        }
    }

    private async Task WriteBatchAsync(string importId, PreparedBatch batch, CancellationToken cancellationToken)
    {
        // A concurrent import may take one of our NIRs between the check and the write; the
        // batch then fails on the directory's key and is simply re-run against fresh data.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await TryWriteBatchAsync(importId, batch, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception exception) when (attempt < 5 && (database.Dialect.IsUniqueViolation(exception) || database.Dialect.IsTransient(exception)))
            {
                logger.LogDebug(exception, "Enrolment batch collided; retrying");
            }
        }
    }

    private async Task TryWriteBatchAsync(string importId, PreparedBatch batch, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await database.BeginAsync(connection, cancellationToken).ConfigureAwait(false);

        var existing = await FindExistingAsync(connection, transaction, batch.Spaces.Select(s => s.Row.NirKey).ToArray()).ConfigureAwait(false);
        var rejections = new List<(long Line, string Reason)>(batch.Rejections);
        var spaces = new List<NewSpaceRow>(batch.Spaces.Count);
        var toNotify = new List<PreparedSpace>(batch.Spaces.Count);
        foreach (var candidate in batch.Spaces)
        {
            if (existing.TryGetValue(candidate.Row.NirKey, out var holder))
            {
                rejections.Add((candidate.Row.Line, holder.ImportId == importId && holder.Line is { } line
                    ? $"duplicate NIR: same as line {line} of this file."
                    : "a space already exists for this NIR."));
                continue;
            }

            spaces.Add(candidate.Row);
            toNotify.Add(candidate);
        }

        if (spaces.Count > 0)
        {
            await writer.WriteAsync(connection, transaction, importId, spaces, cancellationToken).ConfigureAwait(false);
        }

        if (database.Provider == DatabaseProvider.Postgres && rejections.Count > 0)
        {
            // One statement per batch: re-importing a large file rejects every row.
            await connection.ExecuteAsync(
                "insert into enrolment_rejections (import_id, line, reason) select @importId, r.line, r.reason from unnest(@lines, @reasons) as r(line, reason) " +
                "on conflict (import_id, line) do nothing",
                new { importId, lines = rejections.Select(r => r.Line).ToArray(), reasons = rejections.Select(r => r.Reason).ToArray() }, transaction).ConfigureAwait(false);
        }
        else
        {
            foreach (var (line, reason) in rejections)
            {
                await connection.ExecuteAsync(
                    "insert into enrolment_rejections (import_id, line, reason) values (@importId, @line, @reason) on conflict (import_id, line) do nothing",
                    new { importId, line, reason }, transaction).ConfigureAwait(false);
            }
        }

        // Codes are delivered on their notification date: sealed jobs per date in the batch, of
        // a bounded number of codes, so a notice job's length (letters are rendered one by one)
        // does not grow with the batch size.
        foreach (var group in toNotify.GroupBy(n => n.NotificationDate))
        {
            var runAt = new DateTimeOffset(group.Key.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            foreach (var chunk in group.Chunk(options.Value.NoticesPerJob))
            {
                await JobQueue.InsertAsync(connection, transaction, notices.Job(chunk.Select(g => g.Notice).ToList(), runAt > now ? runAt : now)).ConfigureAwait(false);
            }
        }

        await connection.ExecuteAsync(
            "update enrolment_imports set rows_done = rows_done + @done, last_line = @lastLine, accepted = accepted + @accepted, rejected = rejected + @rejected where id = @importId",
            new { importId, done = batch.Rows, lastLine = batch.LastLine, accepted = spaces.Count, rejected = rejections.Count },
            transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<Dictionary<string, (string? ImportId, long? Line)>> FindExistingAsync(DbConnection connection, DbTransaction transaction, string[] keys)
    {
        var found = new Dictionary<string, (string?, long?)>(StringComparer.Ordinal);
        if (keys.Length == 0)
        {
            return found;
        }

        // One index probe per key, whatever the planner believes. "key = any(@keys)", or a plain
        // join with the keys, is planned from the directory's statistics, which a running import
        // leaves far behind (it adds rows faster than autovacuum analyses them): PostgreSQL then
        // scanned the whole directory for every batch, 200 ms at 250,000 entries and growing with
        // it. A lateral subquery with a limit cannot be flattened into a hash join, so each key
        // is looked up through the primary key.
        var sql = database.Provider == DatabaseProvider.Postgres
            ? "select k.key, d.import_id, d.line from unnest(@keys) as k(key) " +
              "cross join lateral (select import_id, line from directory where kind = @kind and key = k.key limit 1) d"
            : "select key, import_id, line from directory where kind = @kind and key in @keys";
        // SQLite caps bound parameters; chunking keeps every provider under the limit.
        foreach (var chunk in keys.Chunk(database.Provider == DatabaseProvider.Postgres ? keys.Length : 900))
        {
            var rows = await connection.QueryAsync<(string Key, string? ImportId, long? Line)>(
                sql, new { kind = SpaceDirectory.NirKind, keys = chunk }, transaction).ConfigureAwait(false);
            foreach (var row in rows)
            {
                found[row.Key] = (row.ImportId, row.Line);
            }
        }

        return found;
    }

    private async Task<ImportState?> LoadAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<ImportState>(new CommandDefinition(
            "select status as Status, last_line as LastLine from enrolment_imports where id = @id", new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    private async Task ExecuteAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    private sealed class ImportState
    {
        public string Status { get; set; } = "";
        public long LastLine { get; set; }
    }
}
