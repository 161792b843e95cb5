using MonEspaceSante.HealthProfiles;

namespace MonEspaceSante.Pdf;

/// <summary>The data printed on a health profile synthesis.</summary>
public sealed record HealthProfileReport(string FullName, DateOnly BirthDate, DateTimeOffset ExportedAt, HealthProfileView Profile);
