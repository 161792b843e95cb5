using MonEspaceSante.Documents;
using MonEspaceSante.Spaces;
using Orleans;

namespace MonEspaceSante.Access;

/// <summary>What the patient decided about one professional.</summary>
[GenerateSerializer]
[Alias("mes.GrantStatus")]
public enum GrantStatus
{
    Authorised,
    Blocked,
}

/// <summary>
/// The patient's decision about one professional, as shown to the patient. <see cref="Categories"/>
/// is what the professional may see (their profession's default unless the patient chose).
/// </summary>
[GenerateSerializer]
[Alias("mes.ProfessionalGrant")]
public sealed record ProfessionalGrant(
    [property: Id(0)] string Rpps,
    [property: Id(1)] string Name,
    [property: Id(2)] string ProfessionCode,
    [property: Id(3)] string Profession,
    [property: Id(4)] GrantStatus Status,
    [property: Id(5)] IReadOnlyList<DocumentCategory> Categories,
    [property: Id(6)] bool DefaultCategories,
    [property: Id(7)] DateTimeOffset DecidedAt,
    [property: Id(8)] DateTimeOffset? ExpiresAt,
    [property: Id(9)] bool Expired);

[GenerateSerializer]
[Alias("mes.EmergencyAccessInfo")]
public sealed record EmergencyAccessInfo([property: Id(0)] string Rpps, [property: Id(1)] string Name, [property: Id(2)] DateTimeOffset OpenedAt, [property: Id(3)] DateTimeOffset Until, [property: Id(4)] string Reason);

/// <summary>Everything the patient controls about professionals' access to their space.</summary>
[GenerateSerializer]
[Alias("mes.AccessSettings")]
public sealed record AccessSettings(
    [property: Id(0)] IReadOnlyList<ProfessionalGrant> Professionals,
    [property: Id(1)] string? TreatingDoctor,
    [property: Id(2)] bool EmergencyAccessOptOut,
    [property: Id(3)] IReadOnlyList<EmergencyAccessInfo> ActiveEmergencyAccesses);

/// <summary>
/// Authorise or block a professional. <see cref="Categories"/> null keeps the profession's
/// default rights; <see cref="Days"/> null keeps the profession's default duration (0 = no end).
/// </summary>
[GenerateSerializer]
[Alias("mes.GrantRequest")]
public sealed record GrantRequest([property: Id(0)] GrantStatus Status, [property: Id(1)] IReadOnlyList<DocumentCategory>? Categories, [property: Id(2)] int? Days);

/// <summary>How a professional may see a space right now: what categories, masked or not, why.</summary>
[GenerateSerializer]
[Alias("mes.AccessRights")]
public sealed record AccessRights(
    [property: Id(0)] IReadOnlyList<DocumentCategory> Categories,
    [property: Id(1)] bool SeesMasked,
    [property: Id(2)] bool TreatingDoctor,
    [property: Id(3)] bool Emergency,
    [property: Id(4)] DateTimeOffset? Until);

/// <summary>How a professional names a patient: the INS (NIR) with identity traits to match.</summary>
[GenerateSerializer]
[Alias("mes.PatientSearch")]
public sealed record PatientSearch([property: Id(0)] string Ins, [property: Id(1)] DateOnly BirthDate, [property: Id(2)] string BirthName, [property: Id(3)] string? FirstName);

/// <summary>A patient a professional may access, with the rights they hold.</summary>
[GenerateSerializer]
[Alias("mes.PatientMatch")]
public sealed record PatientMatch([property: Id(0)] Guid PatientId, [property: Id(1)] string BirthName, [property: Id(2)] string FirstNames, [property: Id(3)] DateOnly BirthDate, [property: Id(4)] Sex Sex, [property: Id(5)] AccessRights Access);

/// <summary>What a professional with access reads of the patient's profile.</summary>
[GenerateSerializer]
[Alias("mes.PatientProfile")]
public sealed record PatientProfile(
    [property: Id(0)] Guid PatientId,
    [property: Id(1)] string Ins,
    [property: Id(2)] string BirthName,
    [property: Id(3)] string FirstNames,
    [property: Id(4)] DateOnly BirthDate,
    [property: Id(5)] Sex Sex,
    [property: Id(6)] string? TreatingDoctorRpps,
    [property: Id(7)] string? TreatingDoctorName,
    [property: Id(8)] AccessRights Access)
{
    /// <summary>The patient's secure-messaging address, to write to them.</summary>
    [Id(9)]
    public string? MailboxAddress { get; init; }
}

[GenerateSerializer]
[Alias("mes.AccessAction")]
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
    ReadHealthProfile,
    AddHealthProfileEntry,
    DownloadHealthProfile,
    ChangeHealthProfileEntry,
}

[GenerateSerializer]
[Alias("mes.AccessOutcome")]
public enum AccessOutcome
{
    Allowed,
    Denied,
}

/// <summary>One line of the patient's access history.</summary>
[GenerateSerializer]
[Alias("mes.AccessHistoryEntry")]
public sealed record AccessHistoryEntry(
    [property: Id(0)] Guid Id,
    [property: Id(1)] long Sequence,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string Rpps,
    [property: Id(4)] string? Name,
    [property: Id(5)] string? Profession,
    [property: Id(6)] string? Facility,
    [property: Id(7)] string? Via,
    [property: Id(8)] AccessAction Action,
    [property: Id(9)] string? Target,
    [property: Id(10)] bool Emergency,
    [property: Id(11)] string? Reason,
    [property: Id(12)] AccessOutcome Outcome);

[GenerateSerializer]
[Alias("mes.AccessHistoryFilter")]
public sealed record AccessHistoryFilter(
    [property: Id(0)] DateTimeOffset? From,
    [property: Id(1)] DateTimeOffset? To,
    [property: Id(2)] string? Rpps,
    [property: Id(3)] AccessOutcome? Outcome,
    [property: Id(4)] bool? Emergency,
    [property: Id(5)] AccessAction? Action = null,
    [property: Id(6)] int Offset = 0,
    [property: Id(7)] int Limit = 50);

[GenerateSerializer]
[Alias("mes.AccessHistoryPage")]
public sealed record AccessHistoryPage([property: Id(0)] IReadOnlyList<AccessHistoryEntry> Items, [property: Id(1)] int Offset, [property: Id(2)] int Limit, [property: Id(3)] long Total);

/// <summary>The result of recomputing a space's hash chain: <see cref="FirstBrokenSequence"/> is null when intact.</summary>
[GenerateSerializer]
[Alias("mes.HistoryVerification")]
public sealed record HistoryVerification([property: Id(0)] bool Intact, [property: Id(1)] long Entries, [property: Id(2)] long? FirstBrokenSequence, [property: Id(3)] string? HeadHash);
