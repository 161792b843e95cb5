using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MonEspaceSante.Enrolment;
using MonEspaceSante.Errors;
using MonEspaceSante.Identity;

namespace MonEspaceSante.Professionals;

/// <summary>
/// Imports the RPPS extract into the directory while it is being read: rows are checked one
/// by one, invalid ones reported with their line and the import going on, valid ones written
/// in batches (<see cref="ProfessionalWriter"/>), each its own transaction. The extract has one
/// row per activity; the first row of a professional wins and later ones are counted as
/// duplicates, so a batch never holds a professional twice and the same file always gives the
/// same directory. Remembering which professionals were read takes one number per professional
/// (some 30 MB for the whole national extract), never the file.
/// </summary>
public sealed class ProfessionalImporter(ProfessionalWriter writer, ProfessionalCache cache, IOptions<ProfessionalOptions> options, [FromKeyedServices(PlatformClock.Key)] TimeProvider time, ILogger<ProfessionalImporter> logger)
{
    public async Task<ProfessionalImportResult> ImportAsync(Caller caller, Stream csv, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.Kind != CallerKind.Operator)
        {
            throw new DomainException(DomainError.Forbidden);
        }

        var batchSize = Math.Max(1, options.Value.BatchSize);
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        var seen = new HashSet<long>();
        var batch = new List<ProfessionalRecord>(batchSize);
        var rejections = new List<ImportRejection>();
        long rows = 0, imported = 0, changed = 0, duplicates = 0, rejected = 0;
        try
        {
            await foreach (var parsed in ProfessionalCsvReader.ReadAsync(csv, cancellationToken).ConfigureAwait(false))
            {
                rows++;
                if (parsed.Info is not { } info)
                {
                    rejected++;
                    if (rejections.Count < ProfessionalImportResult.MaxReportedRejections)
                    {
                        rejections.Add(new ImportRejection(parsed.Line, parsed.Rejection!));
                    }

                    continue;
                }

                // An RPPS is 11 digits: it fits a long, a third of the memory of its string.
                if (!seen.Add(long.Parse(info.Rpps, System.Globalization.CultureInfo.InvariantCulture)))
                {
                    duplicates++;
                    continue;
                }

                imported++;
                batch.Add(ProfessionalRecord.From(info));
                if (batch.Count == batchSize)
                {
                    changed += await WriteAsync().ConfigureAwait(false);
                    batch.Clear();
                }
            }

            if (batch.Count > 0)
            {
                changed += await WriteAsync().ConfigureAwait(false);
            }
        }
        catch (InvalidDataException invalid)
        {
            // No usable header, or a record the reader cannot delimit. Batches written before
            // stay: they are correct, and importing the fixed file again rewrites nothing twice.
            throw new DomainException(DomainError.InvalidRequest, invalid.Message);
        }

        // This silo's cached entries of the rewritten rows go at once; other silos' within their time to live.
        async Task<long> WriteAsync()
        {
            var written = await writer.UpsertAsync(batch, nowMs, cancellationToken).ConfigureAwait(false);
            cache.Forget(batch.Select(p => p.Info.Rpps));
            return written;
        }

        logger.LogInformation(
            "Professionals import by {Operator}: {Rows} rows, {Imported} professionals, {Changed} created or changed, {Duplicates} duplicates, {Rejected} rejected",
            caller.Id, rows, imported, changed, duplicates, rejected);
        return new ProfessionalImportResult(rows, imported, changed, duplicates, rejected, rejections);
    }
}
