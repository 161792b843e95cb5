using System.Runtime.CompilerServices;
using CsvHelper;
using MonEspaceSante.Identity;

namespace MonEspaceSante.Professionals;

/// <summary>
/// Streams the RPPS extract record by record, checking each row and giving it its physical
/// line number (line 1 is the header). Never holds more than one record. The extract is
/// <c>|</c>-separated and unquoted, so quotes are read as ordinary text (a name starting with
/// one must not swallow the lines after it); <c>;</c> is accepted too, as the separator is
/// detected from the header.
/// </summary>
public static class ProfessionalCsvReader
{
    private const int MaxNameLength = 100;
    private const int MaxTextLength = 200;

    public static async IAsyncEnumerable<ParsedProfessional> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var options = new CsvReaderOptions
        {
            HasHeader = true,
            Mode = CsvMode.NoEscape,
            TrackLineNumbers = true,
            SkipEmptyLines = true,
            // A row is a few hundred bytes; a file without line breaks must not be buffered whole.
            MaxRecordSize = 64 * 1024,
        };
        await using var csv = CsvReader.Create(stream, options, leaveOpen: true);
        try
        {
            await csv.ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CsvFormatException format)
        {
            throw new InvalidDataException("The file cannot be read as CSV: " + format.Message, format);
        }

        var header = csv.Headers.Select(SearchText.Normalize).ToArray();
        if (header.Length == 0 || header.All(h => h.Length == 0))
        {
            throw new InvalidDataException("The file is empty: a header line is required.");
        }

        var columns = ProfessionalColumns.Required.Concat(ProfessionalColumns.Optional)
            .ToDictionary(c => c, c => Array.IndexOf(header, SearchText.Normalize(c)), StringComparer.Ordinal);
        var missing = ProfessionalColumns.Required.Where(c => columns[c] < 0).ToList();
        if (columns[ProfessionalColumns.Rpps] < 0 && columns[ProfessionalColumns.NationalId] < 0)
        {
            missing.Insert(0, $"{ProfessionalColumns.Rpps} (or {ProfessionalColumns.NationalId})");
        }

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
            if (csv.FieldCount != header.Length)
            {
                yield return new ParsedProfessional(line, null, $"expected {header.Length} fields, found {csv.FieldCount}.");
                continue;
            }

            yield return Validate(line, column => columns[column] is var index and >= 0 ? Clean(csv.GetString(index)) : null);
        }
    }

    /// <summary>Checks one row; the reasons are shown to operators as they are.</summary>
    public static ParsedProfessional Validate(long line, Func<string, string?> field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var rppsText = field(ProfessionalColumns.Rpps);
        var nationalText = field(ProfessionalColumns.NationalId);
        if (rppsText is null && nationalText is null)
        {
            return Reject(line, $"{ProfessionalColumns.Rpps} is missing.");
        }

        Rpps? rpps = null;
        foreach (var (column, text) in new[] { (ProfessionalColumns.Rpps, rppsText), (ProfessionalColumns.NationalId, nationalText) })
        {
            if (text is null)
            {
                continue;
            }

            if (!Rpps.TryParse(text, out var parsed))
            {
                return Reject(line, $"{column} \"{Shorten(text)}\" is not an RPPS number (11 digits, the last a Luhn check digit; 8 + RPPS for the national id).");
            }

            if (rpps is { } other && other != parsed)
            {
                return Reject(line, $"{ProfessionalColumns.Rpps} and {ProfessionalColumns.NationalId} name different professionals.");
            }

            rpps = parsed;
        }

        var lastName = field(ProfessionalColumns.LastName);
        var firstName = field(ProfessionalColumns.FirstName) ?? "";
        var professionCode = field(ProfessionalColumns.ProfessionCode);
        var profession = field(ProfessionalColumns.Profession);
        if (lastName is null || SearchText.Normalize(lastName).Length == 0)
        {
            return Reject(line, $"{ProfessionalColumns.LastName} is missing.");
        }

        if (professionCode is null)
        {
            return Reject(line, $"{ProfessionalColumns.ProfessionCode} is missing.");
        }

        if (profession is null)
        {
            return Reject(line, $"{ProfessionalColumns.Profession} is missing.");
        }

        if (!professionCode.All(char.IsAsciiLetterOrDigit) || professionCode.Length > 10)
        {
            return Reject(line, $"{ProfessionalColumns.ProfessionCode} \"{Shorten(professionCode)}\" is not a profession code.");
        }

        var specialty = field(ProfessionalColumns.Specialty);
        var finess = field(ProfessionalColumns.FacilityFiness);
        var facility = field(ProfessionalColumns.FacilityName) ?? field(ProfessionalColumns.FacilityBrand);
        var city = field(ProfessionalColumns.City);
        foreach (var (column, value, max) in new[]
        {
            (ProfessionalColumns.LastName, lastName, MaxNameLength),
            (ProfessionalColumns.FirstName, firstName, MaxNameLength),
            (ProfessionalColumns.Profession, profession, MaxTextLength),
            (ProfessionalColumns.Specialty, specialty, MaxTextLength),
            (ProfessionalColumns.FacilityFiness, finess, MaxTextLength),
            (ProfessionalColumns.FacilityName, facility, MaxTextLength),
            (ProfessionalColumns.City, city, MaxTextLength),
        })
        {
            if (value is { Length: var length } && length > max)
            {
                return Reject(line, $"{column} is longer than {max} characters.");
            }
        }

        return new ParsedProfessional(line, new ProfessionalInfo(rpps!.Value.Value, lastName, firstName, professionCode, profession, specialty, finess, facility, city), null);
    }

    private static ParsedProfessional Reject(long line, string reason) => new(line, null, reason);

    private static string? Clean(string? value)
    {
        var trimmed = value?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }

    private static string Shorten(string value) => value.Length <= 20 ? value : value[..20] + "…";
}

/// <summary>A row of the extract: a professional, or the reason it was rejected.</summary>
public readonly record struct ParsedProfessional(long Line, ProfessionalInfo? Info, string? Rejection);
