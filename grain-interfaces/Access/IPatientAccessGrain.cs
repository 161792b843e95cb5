using MonEspaceSante.HealthProfiles;
using MonEspaceSante.Identity;

namespace MonEspaceSante.Access;

/// <summary>
/// The access side of a patient space (same id as the space): the patient's controls, what
/// professionals may reach, and the access history. Every professional call, allowed or
/// denied, is written to the history in its own transaction and notified to the patient.
/// A professional without a right gets the same not-found as for a space that does not exist.
/// </summary>
[Alias("mes.IPatientAccessGrain")]
public interface IPatientAccessGrain : IGrainWithGuidKey
{
    // The patient's controls.
    Task<AccessSettings> GetSettingsAsync(Caller caller);

    Task<AccessSettings> SetProfessionalAsync(Caller caller, string rpps, GrantRequest request);

    /// <summary>Removes an authorisation or a block: the professional is back to having no right.</summary>
    Task<AccessSettings> RevokeAsync(Caller caller, string rpps);

    /// <summary>Extends a time-limited authorisation by <paramref name="days"/> from now (or from its end, if later).</summary>
    Task<AccessSettings> ExtendAsync(Caller caller, string rpps, int days);

    /// <summary>Designates (or, with null, removes) the treating doctor, who sees masked documents too.</summary>
    Task<AccessSettings> SetTreatingDoctorAsync(Caller caller, string? rpps);

    Task<AccessSettings> SetEmergencyOptOutAsync(Caller caller, bool optOut);

    // Professionals.
    /// <summary>Matches the identity traits and the caller's rights; anything short of both is not found.</summary>
    Task<PatientMatch> FindAsync(Caller caller, PatientSearch search);

    /// <summary>Break-glass: opens time-limited access with a written reason, flagged and notified.</summary>
    Task<PatientMatch> OpenEmergencyAccessAsync(Caller caller, PatientSearch search, string reason);

    Task<PatientProfile> GetProfileAsync(Caller caller);

    /// <summary>
    /// Asked by the health profile grain before it serves anyone. For a professional: decided,
    /// written to the history and notified like any access (a refusal is the usual not-found).
    /// For anyone else: the caller must act as the space's holder, on an active space (a closed
    /// one is read-only). Returns who the author of an entry would be.
    /// </summary>
    Task<HealthProfileAccess> OpenHealthProfileAsync(Caller caller, HealthProfileAction action);

    /// <summary>
    /// For the mailboxes only (<see cref="CallerKind.System"/>): the space as messaging sees it, and
    /// whether it blocks <paramref name="senderRpps"/>. Answered from the committed state without a
    /// transaction, even while the space is busy with another call: a space being purged waits on
    /// the patient's mailbox, which may itself be waiting on this answer.
    /// </summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<Messaging.MessagingView> GetMessagingViewAsync(Caller caller, string? senderRpps);

    // The history, for the patient.
    Task<AccessHistoryPage> GetHistoryAsync(Caller caller, AccessHistoryFilter filter);

    Task<HistoryVerification> VerifyHistoryAsync(Caller caller);

    /// <summary>The whole history as a PDF (text), for the patient's records.</summary>
    Task<byte[]> ExportHistoryPdfAsync(Caller caller);
}
