using MonEspaceSante.Documents;
using MonEspaceSante.Spaces;

namespace MonEspaceSante.Access;

/// <summary>What the patient decided about one professional.</summary>
public enum GrantStatus
{
    Authorised,
    Blocked,
}

/// <summary>
/// The patient's decision about one professional, as shown to the patient. <see cref="Categories"/>
/// is what the professional may see (their profession's default unless the patient chose).
/// </summary>
public sealed record ProfessionalGrant(
    string Rpps,
    string Name,
    string ProfessionCode,
    string Profession,
    GrantStatus Status,
    IReadOnlyList<DocumentCategory> Categories,
    bool DefaultCategories,
    DateTimeOffset DecidedAt,
    DateTimeOffset? ExpiresAt,
    bool Expired);

public sealed record EmergencyAccessInfo(string Rpps, string Name, DateTimeOffset OpenedAt, DateTimeOffset Until, string Reason);

/// <summary>Everything the patient controls about professionals' access to their space.</summary>
public sealed record AccessSettings(
    IReadOnlyList<ProfessionalGrant> Professionals,
    string? TreatingDoctor,
    bool EmergencyAccessOptOut,
    IReadOnlyList<EmergencyAccessInfo> ActiveEmergencyAccesses);

/// <summary>
/// Authorise or block a professional. <see cref="Categories"/> null keeps the profession's
/// default rights; <see cref="Days"/> null keeps the profession's default duration (0 = no end).
/// </summary>
public sealed record GrantRequest(GrantStatus Status, IReadOnlyList<DocumentCategory>? Categories, int? Days);

/// <summary>How a professional may see a space right now: what categories, masked or not, why.</summary>
public sealed record AccessRights(
    IReadOnlyList<DocumentCategory> Categories,
    bool SeesMasked,
    bool TreatingDoctor,
    bool Emergency,
    DateTimeOffset? Until);

/// <summary>How a professional names a patient: the INS (NIR) with identity traits to match.</summary>
public sealed record PatientSearch(string Ins, DateOnly BirthDate, string BirthName, string? FirstName);

/// <summary>A patient a professional may access, with the rights they hold.</summary>
public sealed record PatientMatch(Guid PatientId, string BirthName, string FirstNames, DateOnly BirthDate, Sex Sex, AccessRights Access);

/// <summary>What a professional with access reads of the patient's profile.</summary>
public sealed record PatientProfile(
    Guid PatientId,
    string Ins,
    string BirthName,
    string FirstNames,
    DateOnly BirthDate,
    Sex Sex,
    string? TreatingDoctorRpps,
    string? TreatingDoctorName,
    AccessRights Access)
{
    /// <summary>The patient's secure-messaging address, to write to them.</summary>
    public string? MailboxAddress { get; init; }
}

public enum AccessAction
{
    FindPatient,
    EmergencyAccess,
    ReadProfile,
    ListDocuments,
    ReadDocument,
    DownloadDocument,
    AddDocument,
    ReleaseDocument,
}

public enum AccessOutcome
{
    Allowed,
    Denied,
}

/// <summary>One line of the patient's access history.</summary>
public sealed record AccessHistoryEntry(
    Guid Id,
    long Sequence,
    DateTimeOffset At,
    string Rpps,
    string? Name,
    string? Profession,
    string? Facility,
    string? Via,
    AccessAction Action,
    string? Target,
    bool Emergency,
    string? Reason,
    AccessOutcome Outcome);

public sealed record AccessHistoryFilter(
    DateTimeOffset? From,
    DateTimeOffset? To,
    string? Rpps,
    AccessOutcome? Outcome,
    bool? Emergency,
    AccessAction? Action = null,
    int Offset = 0,
    int Limit = 50);

public sealed record AccessHistoryPage(IReadOnlyList<AccessHistoryEntry> Items, int Offset, int Limit, long Total);

/// <summary>The result of recomputing a space's hash chain: <see cref="FirstBrokenSequence"/> is null when intact.</summary>
public sealed record HistoryVerification(bool Intact, long Entries, long? FirstBrokenSequence, string? HeadHash);
