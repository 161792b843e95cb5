using MonEspaceSante.Access;

namespace MonEspaceSante.Pdf;

/// <summary>The data printed on a patient's access-history export.</summary>
public sealed record AccessHistoryReport(
    string FullName,
    DateOnly BirthDate,
    DateTimeOffset ExportedAt,
    HistoryVerification Verification,
    IReadOnlyList<AccessHistoryEntry> Entries);
