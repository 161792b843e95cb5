using MonEspaceSante.Enrolment;

namespace MonEspaceSante.Professionals;

/// <summary>
/// A directory search: at least one criterion. <see cref="Name"/> and <see cref="City"/> are
/// prefixes, <see cref="Profession"/> a profession code or the start of its label; all are
/// matched without regard to case, accents or punctuation.
/// </summary>
public sealed record ProfessionalQuery(string? Name, string? Profession, string? City, int Offset = 0, int Limit = ProfessionalQuery.DefaultLimit)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;
}

/// <summary>A page of search results ordered by name, and how many match in all.</summary>
public sealed record ProfessionalPage(IReadOnlyList<ProfessionalInfo> Items, int Offset, int Limit, long Total);

/// <summary>
/// What an import of the RPPS extract did. <see cref="Rows"/> counts data rows;
/// <see cref="Imported"/> the distinct professionals accepted (new, changed or already up to
/// date); <see cref="Changed"/> those created or updated by this import; <see cref="Duplicates"/>
/// the further activity rows of a professional already read (the extract has one row per
/// activity); <see cref="Rejected"/> the invalid rows, of which the first
/// <see cref="MaxReportedRejections"/> are listed.
/// </summary>
public sealed record ProfessionalImportResult(long Rows, long Imported, long Changed, long Duplicates, long Rejected, IReadOnlyList<ImportRejection> Rejections)
{
    public const int MaxReportedRejections = 100;
}
