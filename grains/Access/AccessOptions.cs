using MonEspaceSante.Documents;

namespace MonEspaceSante.Access;

/// <summary>
/// Access policy (section <c>Access</c>). Default rights by profession are in
/// <see cref="ProfessionDefaults"/>; a deployment overrides one profession with
/// <c>Access:Professions:{code}:Categories</c> and <c>:GrantDays</c>. Why these defaults: docs/access.md.
/// </summary>
public sealed class AccessOptions
{
    /// <summary>How long a break-glass access lasts.</summary>
    public TimeSpan EmergencyDuration { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long after reading a space a professional is told live of documents added to it (a consultation, a stay's round).</summary>
    public TimeSpan LiveWatchWindow { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Refusals of one professional on one space within this window give one notification; every refusal stays in the history.</summary>
    public TimeSpan DeniedGrouping { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Distinct spaces a professional may open per hour before the mass-access guard refuses (429) and alerts.</summary>
    public int MaxSpacesPerHour { get; set; } = 100;

    /// <summary>The same for one software client, across all the professionals it acts for.</summary>
    public int MaxSpacesPerHourPerClient { get; set; } = 2000;

    /// <summary>Bounds the patient's list of decisions (it lives in the space's state row).</summary>
    public int MaxGrants { get; set; } = 500;

    /// <summary>Longest time-limited authorisation or extension a patient may set, in days.</summary>
    public int MaxGrantDays { get; set; } = 3650;

    /// <summary>Overrides of <see cref="ProfessionDefaults"/>, by RPPS profession code.</summary>
    public Dictionary<string, ProfessionRule> Professions { get; } = [];

    public ProfessionRule RuleFor(string professionCode) =>
        Professions.TryGetValue(professionCode, out var configured) && configured.Categories is { Length: > 0 }
            ? configured
            : ProfessionDefaults.GetValueOrDefault(professionCode, OtherProfessions);

    private static readonly DocumentCategory[] Medical =
    [
        DocumentCategory.Prescription, DocumentCategory.LabResult, DocumentCategory.Imaging, DocumentCategory.Hospitalisation,
        DocumentCategory.Vaccination, DocumentCategory.ConsultationReport, DocumentCategory.Other,
    ];

    /// <summary>
    /// Built-in defaults by RPPS profession code. Physicians see the whole record; other
    /// professions see what their care needs; pharmacists' access ends after 3 days (a
    /// dispensing visit, as in Germany's ePA) and paramedical access after 90 days (an
    /// episode of care), while a doctor's stays until the patient revokes it.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, ProfessionRule> ProfessionDefaults = new Dictionary<string, ProfessionRule>
    {
        ["10"] = new() { Categories = Enum.GetValues<DocumentCategory>(), GrantDays = 0 },
        ["50"] = new() { Categories = [.. Medical, DocumentCategory.BloodGroupCard], GrantDays = 0 },
        ["40"] = new() { Categories = [DocumentCategory.Prescription, DocumentCategory.LabResult, DocumentCategory.Imaging, DocumentCategory.ConsultationReport], GrantDays = 0 },
        ["21"] = new() { Categories = [DocumentCategory.Prescription, DocumentCategory.LabResult, DocumentCategory.Vaccination], GrantDays = 3 },
        ["60"] = new() { Categories = [DocumentCategory.Prescription, DocumentCategory.LabResult, DocumentCategory.Vaccination, DocumentCategory.ConsultationReport, DocumentCategory.Hospitalisation], GrantDays = 90 },
        ["70"] = new() { Categories = [DocumentCategory.Prescription, DocumentCategory.Imaging, DocumentCategory.ConsultationReport, DocumentCategory.Hospitalisation], GrantDays = 90 },
    };

    public static readonly ProfessionRule OtherProfessions = new() { Categories = [DocumentCategory.Prescription, DocumentCategory.ConsultationReport], GrantDays = 90 };
}

public sealed class ProfessionRule
{
    public DocumentCategory[]? Categories { get; set; }

    /// <summary>Default length of an authorisation, in days; 0 means until revoked.</summary>
    public int GrantDays { get; set; }
}
