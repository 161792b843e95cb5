namespace MonEspaceSante.Professionals;

/// <summary>
/// A health professional as the directory knows them (from the public RPPS extract).
/// <see cref="ProfessionCode"/> is the RPPS profession code (10 physician, 21 pharmacist,
/// 40 dental surgeon, 50 midwife, 60 nurse, 70 physiotherapist, …); default access rights
/// are keyed by it.
/// </summary>
public sealed record ProfessionalInfo(
    string Rpps,
    string LastName,
    string FirstName,
    string ProfessionCode,
    string Profession,
    string? Specialty,
    string? FacilityFiness,
    string? FacilityName,
    string? City)
{
    public string DisplayName => $"{FirstName} {LastName}".Trim();
}
