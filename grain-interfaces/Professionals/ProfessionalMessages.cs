using MonEspaceSante.Enrolment;
using Orleans;

namespace MonEspaceSante.Professionals;

/// <summary>
/// A directory search: at least one criterion. <see cref="Name"/> and <see cref="City"/> are
/// prefixes, <see cref="Profession"/> a profession code or the start of its label; all are
/// matched without regard to case, accents or punctuation.
/// </summary>
[GenerateSerializer]
[Alias("mes.ProfessionalQuery")]
public sealed record ProfessionalQuery([property: Id(0)] string? Name, [property: Id(1)] string? Profession, [property: Id(2)] string? City, [property: Id(3)] int Offset = 0, [property: Id(4)] int Limit = ProfessionalQuery.DefaultLimit)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;
}

/// <summary>A page of search results ordered by name, and how many match in all.</summary>
[GenerateSerializer]
[Alias("mes.ProfessionalPage")]
public sealed record ProfessionalPage([property: Id(0)] IReadOnlyList<ProfessionalInfo> Items, [property: Id(1)] int Offset, [property: Id(2)] int Limit, [property: Id(3)] long Total);

/// <summary>
/// What an import of the RPPS extract did. <see cref="Rows"/> counts data rows;
/// <see cref="Imported"/> the distinct professionals accepted (new, changed or already up to
/// date); <see cref="Changed"/> those created or updated by this import; <see cref="Duplicates"/>
/// the further activity rows of a professional already read (the extract has one row per
/// activity); <see cref="Rejected"/> the invalid rows, of which the first
/// <see cref="MaxReportedRejections"/> are listed.
/// </summary>
[GenerateSerializer]
[Alias("mes.ProfessionalImportResult")]
public sealed record ProfessionalImportResult([property: Id(0)] long Rows, [property: Id(1)] long Imported, [property: Id(2)] long Changed, [property: Id(3)] long Duplicates, [property: Id(4)] long Rejected, [property: Id(5)] IReadOnlyList<ImportRejection> Rejections)
{
    public const int MaxReportedRejections = 100;
}
