using MonEspaceSante.Identity;

namespace MonEspaceSante.Spaces;

/// <summary>
/// One insured person's space, keyed by its id. Owns its lifecycle and its access rules; every
/// state-changing method is one transaction on the space's row. The same activation also serves
/// <see cref="Access.IPatientAccessGrain"/> and <see cref="Documents.IPatientDocumentsGrain"/>, so
/// everything a space does is ordered in one place.
/// </summary>
[Alias("mes.IPatientSpaceGrain")]
public interface IPatientSpaceGrain : IGrainWithGuidKey
{
    Task<SpaceSummary> GetSummaryAsync(Caller caller);

    /// <summary>Activates with the provisional code; sets the login e-mail and password.</summary>
    Task<SpaceSummary> ActivateAsync(ActivationRequest request);

    Task<OppositionResult> OpposeAsync(OppositionRequest request);

    /// <summary>Renders the proof of opposition for the holder of the proof token.</summary>
    Task<byte[]> GetOppositionProofAsync(string proofToken);

    /// <summary>Issues a new code when the space is opposed or its code expired. Returns false when refused (the API never says so).</summary>
    Task<bool> RequestNewCodeAsync(NewCodeRequest request);

    /// <summary>Activates the space if it is still waiting after its deadline. Idempotent.</summary>
    Task<bool> AutoActivateAsync();

    Task<LoginChallenge> BeginLoginAsync(string password, string? clientAddress);

    /// <summary>
    /// Completes the login. <paramref name="deviceToken"/> is what an earlier login on this device
    /// returned; without a known one this is a new device: the patient is alerted and the grant
    /// carries a device token to send next time.
    /// </summary>
    Task<SessionGrant> CompleteLoginAsync(Guid challengeId, string oneTimeCode, string? deviceToken = null);

    /// <summary>Changes the password (the current one is required); other sessions are ended.</summary>
    Task ChangePasswordAsync(Caller caller, string currentPassword, string newPassword, string? currentSessionToken);

    /// <summary>Starts an e-mail change: a code goes to the new address, which changes only once it is confirmed.</summary>
    Task<EmailChangeChallenge> RequestEmailChangeAsync(Caller caller, string password, string newEmail);

    /// <summary>Confirms the change with the code sent to the new address; the old address is told.</summary>
    Task<SpaceSummary> ConfirmEmailChangeAsync(Caller caller, Guid challengeId, string code);

    Task<AlertPreferences> GetAlertPreferencesAsync(Caller caller);

    Task<AlertPreferences> SetAlertPreferencesAsync(Caller caller, AlertPreferences preferences);

    Task<SpaceArchive> ExportAsync(Caller caller);

    Task<SpaceSummary> CloseAsync(Caller caller, string password);

    /// <summary>Removes a closed space whose retention has ended. Idempotent.</summary>
    Task<bool> PurgeAsync();

    // Children's spaces (docs/children.md).

    /// <summary>On a minor's space: the calling patient becomes one of its (at most two) guardians, proving parental authority with the child's card data.</summary>
    Task<ChildSpace> AttachGuardianAsync(Caller caller, GuardianshipClaim claim);

    /// <summary>On a child's space: the calling guardian (<see cref="CallerKind.Guardian"/>) stops managing it.</summary>
    Task DetachGuardianAsync(Caller caller);

    /// <summary>At 18 the space becomes its holder's alone: guardians are told, the young adult gets an activation code. Idempotent.</summary>
    Task<bool> ComeOfAgeAsync();

    /// <summary>On a child's space: its feed after <paramref name="afterSequence"/> for one of its guardians, without what concerns documents hidden from them.</summary>
    Task<GuardianFeedPage> ReadFeedForGuardianAsync(Caller caller, long afterSequence, int limit);

    /// <summary>On a guardian's space: the children they manage or managed.</summary>
    Task<IReadOnlyList<ChildSpace>> GetChildrenAsync(Caller caller);

    /// <summary>For the child's grain only (<see cref="Caller.System"/>): lists the child on the guardian's space.</summary>
    Task<bool> LinkChildAsync(Caller caller, ChildSpace child);

    /// <summary>For the child's grain only (<see cref="Caller.System"/>): removes the child from the guardian's list.</summary>
    Task<bool> UnlinkChildAsync(Caller caller, Guid childSpaceId);
}
