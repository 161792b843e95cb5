using Microsoft.Extensions.DependencyInjection;
using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.Options;
using MonEspaceSante.Errors;
using MonEspaceSante.Jobs;
using MonEspaceSante.Storage;

namespace MonEspaceSante.Enrolment;

/// <summary>Accepts enrolment files and reports their imports' progress.</summary>
public sealed class EnrolmentImports(IDatabase database, IOptions<EnrolmentOptions> options, [FromKeyedServices(PlatformClock.Key)] TimeProvider time)
{
    public const string JobKind = "enrolment-import";

    public string FilePath(Guid importId) => Path.Combine(options.Value.UploadPath, importId.ToString("N") + ".csv");

    /// <summary>
    /// Stores the uploaded file and queues its import. The same idempotency key with the same
    /// file returns the first import; with another file it is refused.
    /// </summary>
    public async Task<(ImportProgress Progress, bool Created)> CreateAsync(Stream content, string fileName, string? idempotencyKey, string operatorName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var importId = Guid.NewGuid();
        Directory.CreateDirectory(options.Value.UploadPath);
        var path = FilePath(importId);
        string sha256;
        try
        {
            sha256 = await SaveAsync(content, path, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            File.Delete(path);
            throw;
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await database.BeginAsync(connection, cancellationToken).ConfigureAwait(false);
        if (idempotencyKey is not null)
        {
            var existing = await connection.QuerySingleOrDefaultAsync<(string Id, string Sha)?>(
                "select id, file_sha256 from enrolment_imports where idempotency_key = @idempotencyKey", new { idempotencyKey }, transaction).ConfigureAwait(false);
            if (existing is { } found)
            {
                await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                File.Delete(path);
                if (found.Sha != sha256)
                {
                    throw new DomainException(DomainError.IdempotencyMismatch);
                }

                return ((await GetAsync(Guid.Parse(found.Id), cancellationToken).ConfigureAwait(false))!, false);
            }
        }

        await connection.ExecuteAsync(
            "insert into enrolment_imports (id, idempotency_key, file_name, file_sha256, status, created_by, created_at_ms) " +
            "values (@id, @idempotencyKey, @fileName, @sha256, 'Queued', @operatorName, @now)",
            new { id = importId.ToString(), idempotencyKey, fileName, sha256, operatorName, now },
            transaction).ConfigureAwait(false);
        await JobQueue.InsertAsync(connection, transaction, new JobRecord("import:" + importId.ToString("N"), JobKind, importId.ToString(), time.GetUtcNow())).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return ((await GetAsync(importId, cancellationToken).ConfigureAwait(false))!, true);
    }

    public async Task<ImportProgress?> GetAsync(Guid importId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<ImportRow>(new CommandDefinition(
            "select id as Id, status as Status, file_name as FileName, total_rows as TotalRows, rows_done as RowsDone, accepted as Accepted, " +
            "rejected as Rejected, created_at_ms as CreatedAtMs, finished_at_ms as FinishedAtMs, error as Error from enrolment_imports where id = @id",
            new { id = importId.ToString() },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row is null
            ? null
            : new ImportProgress(
                importId,
                Enum.Parse<ImportStatus>(row.Status),
                row.FileName,
                row.TotalRows,
                row.RowsDone,
                row.Accepted,
                row.Rejected,
                DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAtMs),
                row.FinishedAtMs is { } f ? DateTimeOffset.FromUnixTimeMilliseconds(f) : null,
                row.Error);
    }

    public async Task<RejectionPage> GetRejectionsAsync(Guid importId, long afterLine, int limit, CancellationToken cancellationToken = default)
    {
        limit = Math.Clamp(limit, 1, 1000);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = (await connection.QueryAsync<(long Line, string Reason)>(new CommandDefinition(
            "select line, reason from enrolment_rejections where import_id = @id and line > @afterLine order by line limit @take",
            new { id = importId.ToString(), afterLine, take = limit + 1 },
            cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
        var items = rows.Take(limit).Select(r => new ImportRejection(r.Line, r.Reason)).ToList();
        return new RejectionPage(items, rows.Count > limit ? items[^1].Line : null);
    }

    private async Task<string> SaveAsync(Stream content, string path, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        long total = 0;
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
            if (total > options.Value.MaxFileBytes)
            {
                throw new DomainException(new DomainError("file-too-large", "The enrolment file is larger than allowed.", 413));
            }

            hash.AppendData(buffer, 0, read);
            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
        }

        if (total == 0)
        {
            throw new DomainException(new DomainError("empty-file", "The enrolment file is empty.", 400));
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private sealed class ImportRow
    {
        public string Id { get; set; } = "";
        public string Status { get; set; } = "";
        public string FileName { get; set; } = "";
        public long TotalRows { get; set; }
        public long RowsDone { get; set; }
        public long Accepted { get; set; }
        public long Rejected { get; set; }
        public long CreatedAtMs { get; set; }
        public long? FinishedAtMs { get; set; }
        public string? Error { get; set; }
    }
}
