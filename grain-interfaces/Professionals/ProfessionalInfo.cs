using Orleans;

namespace MonEspaceSante.Professionals;

/// <summary>
/// A health professional as the directory knows them (from the public RPPS extract).
/// <see cref="ProfessionCode"/> is the RPPS profession code (10 physician, 21 pharmacist,
/// 40 dental surgeon, 50 midwife, 60 nurse, 70 physiotherapist, …); default access rights
/// are keyed by it.
/// </summary>
[GenerateSerializer]
[Alias("mes.ProfessionalInfo")]
public sealed record ProfessionalInfo(
    [property: Id(0)] string Rpps,
    [property: Id(1)] string LastName,
    [property: Id(2)] string FirstName,
    [property: Id(3)] string ProfessionCode,
    [property: Id(4)] string Profession,
    [property: Id(5)] string? Specialty,
    [property: Id(6)] string? FacilityFiness,
    [property: Id(7)] string? FacilityName,
    [property: Id(8)] string? City)
{
    public string DisplayName => $"{FirstName} {LastName}".Trim();
}
