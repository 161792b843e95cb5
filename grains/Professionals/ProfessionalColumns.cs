namespace MonEspaceSante.Professionals;

/// <summary>
/// The columns read from the RPPS extract ("PS_LibreAcces_Personne_activite"), by header name.
/// Names are compared through <see cref="SearchText.Normalize"/>, so case, accents and the
/// apostrophe's shape do not matter. The others (civility, SIRET, address, phone…) are ignored.
/// Documented in docs/professionals.md.
/// </summary>
public static class ProfessionalColumns
{
    public const string Rpps = "Identifiant PP";
    public const string NationalId = "Identification nationale PP";
    public const string LastName = "Nom d'exercice";
    public const string FirstName = "Prénom d'exercice";
    public const string ProfessionCode = "Code profession";
    public const string Profession = "Libellé profession";
    public const string Specialty = "Libellé savoir-faire";
    public const string FacilityFiness = "Numéro FINESS site";
    public const string FacilityName = "Raison sociale site";
    public const string FacilityBrand = "Enseigne commerciale site";
    public const string City = "Libellé commune (coord. structure)";

    /// <summary>Columns the header must have (besides one of <see cref="Rpps"/> and <see cref="NationalId"/>).</summary>
    public static readonly IReadOnlyList<string> Required = [LastName, FirstName, ProfessionCode, Profession];

    public static readonly IReadOnlyList<string> Optional = [Rpps, NationalId, Specialty, FacilityFiness, FacilityName, FacilityBrand, City];
}
