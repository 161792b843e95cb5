using System.Runtime.CompilerServices;
using CsvHelper;

namespace MonEspaceSante.Enrolment;

/// <summary>
/// Streams an enrolment file record by record (CsvHelper: RFC 4180 quoting, separator detected),
/// giving each record the physical line it starts on, so rejections point at the right line
/// even after multi-line quoted addresses. Never holds more than one record.
/// </summary>
public static class EnrolmentCsvReader
{
    public static async IAsyncEnumerable<ParsedRow> ReadAsync(
        Stream stream,
        EnrolmentRowValidator validator,
        long skipThroughLine,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(validator);
        var options = new CsvReaderOptions
        {
            HasHeader = true,
            TrackLineNumbers = true,
            SkipEmptyLines = true,
            // One person's row is small; a runaway quote must not make the reader buffer the file.
            MaxRecordSize = 64 * 1024,
        };
        await using var csv = CsvReader.Create(stream, options, leaveOpen: true);
        await csv.ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
        var header = csv.Headers.Select(h => h.Trim().ToLowerInvariant()).ToArray();
        if (header.Length == 0)
        {
            throw new InvalidDataException("The file is empty: a header line is required.");
        }

        var index = EnrolmentColumns.All.ToDictionary(c => c, c => Array.IndexOf(header, c), StringComparer.Ordinal);
        var missing = index.Where(p => p.Value < 0).Select(p => p.Key).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException("The header lacks the columns: " + string.Join(", ", missing) + ".");
        }

        while (true)
        {
            bool more;
            try
            {
                more = await csv.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (CsvFormatException format)
            {
                throw new InvalidDataException("The file cannot be read as CSV: " + format.Message, format);
            }

            if (!more)
            {
                yield break;
            }

            long line = csv.LineNumber;
            if (line <= skipThroughLine)
            {
                continue;
            }

            if (csv.FieldCount != header.Length)
            {
                yield return new ParsedRow(line, null, $"expected {header.Length} fields, found {csv.FieldCount}.");
                continue;
            }

            yield return validator.Validate(line, column => csv.GetString(index[column]));
        }
    }

    /// <summary>Counts records (excluding the header) in one cheap pass, honouring quotes, for progress reporting.</summary>
    public static async Task<long> CountRecordsAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new byte[1 << 16];
        long lines = 0;
        var quoted = false;
        var lineHasContent = false;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            foreach (var b in buffer.AsSpan(0, read))
            {
                if (b == (byte)'"')
                {
                    quoted = !quoted;
                }
                else if (b == (byte)'\n' && !quoted)
                {
                    if (lineHasContent)
                    {
                        lines++;
                    }

                    lineHasContent = false;
                    continue;
                }

                if (b is not ((byte)'\r' or (byte)' '))
                {
                    lineHasContent = true;
                }
            }
        }

        if (lineHasContent)
        {
            lines++;
        }

        return Math.Max(0, lines - 1);
    }
}
