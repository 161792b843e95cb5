using MonEspaceSante.Access;
using MonEspaceSante.Documents;
using MonEspaceSante.HealthProfiles;
using MonEspaceSante.Identity;
using MonEspaceSante.Messaging;
using MonEspaceSante.Runtime;
using MonEspaceSante.Storage;

namespace MonEspaceSante.Spaces;

/// <summary>
/// The patient space grain: one activation per space in the cluster, holding the space's state
/// in memory and serving its three contracts, so its lifecycle, the patient's access decisions
/// and its documents run one call at a time on the same state and commit with their rows in one
/// transaction (<see cref="TransactionalGrain{TState}"/>). Each responsibility lives in its own
/// class (<see cref="SpaceLifecycle"/>, <see cref="SpaceAccess"/>, <see cref="SpaceDocuments"/>,
/// <see cref="SpaceGuardians"/>); this class only routes to them.
/// </summary>
public sealed class PatientSpaceGrain(
    [PersistentState(PatientSpaceGrain.GrainType, GrainStateStorage.ProviderName)] IPersistentState<PatientSpaceState> state,
    GrainCalls calls,
    PatientSpaceServices spaces,
    AccessServices access,
    DocumentServices documents)
    : TransactionalGrain<PatientSpaceState>(state, calls), IPatientSpaceGrain, IPatientAccessGrain, IPatientDocumentsGrain, IGrainCaller<PatientSpaceState>
{
    /// <summary>The state's name in the grains table (rows written before the move keep it).</summary>
    public const string GrainType = "patient-space";

    private SpaceLifecycle? lifecycle;
    private SpaceAccess? accessSide;
    private SpaceDocuments? documentsSide;
    private SpaceGuardians? guardiansSide;

    private SpaceLifecycle Lifecycle => lifecycle ??= new(this.GetPrimaryKey(), spaces, this);

    private SpaceAccess Access => accessSide ??= new(this.GetPrimaryKey(), access, this);

    private SpaceDocuments Documents => documentsSide ??= new(this.GetPrimaryKey(), documents, this);

    private SpaceGuardians Guardians => guardiansSide ??= new(this.GetPrimaryKey(), Lifecycle, this, GrainFactory);

    Task<T> IGrainCaller<PatientSpaceState>.CallAsync<T>(Func<GrainContext<PatientSpaceState>, Task<T>> body, CancellationToken cancellationToken) =>
        CallAsync(body, cancellationToken);

    // Committed, not the live object: GetMessagingViewAsync reads it interleaved with a call in progress.
    PatientSpaceState? IGrainCaller<PatientSpaceState>.Stored => Committed;

    // Lifecycle and account.
    public Task<SpaceSummary> GetSummaryAsync(Caller caller) => Lifecycle.GetSummaryAsync(caller);

    public Task<SpaceSummary> ActivateAsync(ActivationRequest request) => Lifecycle.ActivateAsync(request);

    public Task<OppositionResult> OpposeAsync(OppositionRequest request) => Lifecycle.OpposeAsync(request);

    public Task<byte[]> GetOppositionProofAsync(string proofToken) => Lifecycle.GetOppositionProofAsync(proofToken);

    public Task<bool> RequestNewCodeAsync(NewCodeRequest request) => Lifecycle.RequestNewCodeAsync(request);

    public Task<bool> AutoActivateAsync() => Lifecycle.AutoActivateAsync();

    public Task<LoginChallenge> BeginLoginAsync(string password, string? clientAddress) => Lifecycle.BeginLoginAsync(password, clientAddress);

    public Task<SessionGrant> CompleteLoginAsync(Guid challengeId, string oneTimeCode, string? deviceToken = null) => Lifecycle.CompleteLoginAsync(challengeId, oneTimeCode, deviceToken);

    public Task ChangePasswordAsync(Caller caller, string currentPassword, string newPassword, string? currentSessionToken) =>
        Lifecycle.ChangePasswordAsync(caller, currentPassword, newPassword, currentSessionToken);

    public Task<EmailChangeChallenge> RequestEmailChangeAsync(Caller caller, string password, string newEmail) => Lifecycle.RequestEmailChangeAsync(caller, password, newEmail);

    public Task<SpaceSummary> ConfirmEmailChangeAsync(Caller caller, Guid challengeId, string code) => Lifecycle.ConfirmEmailChangeAsync(caller, challengeId, code);

    public Task<AlertPreferences> GetAlertPreferencesAsync(Caller caller) => Lifecycle.GetAlertPreferencesAsync(caller);

    public Task<AlertPreferences> SetAlertPreferencesAsync(Caller caller, AlertPreferences preferences) => Lifecycle.SetAlertPreferencesAsync(caller, preferences);

    public Task<SpaceArchive> ExportAsync(Caller caller) => Lifecycle.ExportAsync(caller);

    public Task<SpaceSummary> CloseAsync(Caller caller, string password) => Lifecycle.CloseAsync(caller, password);

    /// <summary>
    /// The patient's mailbox and health profile are grains of their own: they are asked to remove
    /// themselves first, outside this grain's transaction (on SQLite a second writer inside it
    /// would wait forever). A crash in between leaves a space due for purge whose mailbox or
    /// profile is already gone; the next sweep purges the space, and their purges answer the
    /// same again.
    /// </summary>
    public async Task<bool> PurgeAsync()
    {
        if (Lifecycle.PurgeDue(Calls.Time.GetUtcNow()))
        {
            await GrainFactory.GetPatientMailbox(this.GetPrimaryKey()).PurgeAsync(Caller.System);
            await GrainFactory.GetHealthProfile(this.GetPrimaryKey()).PurgeAsync(Caller.System);
        }

        return await Lifecycle.PurgeAsync();
    }

    // Children's spaces.
    public Task<ChildSpace> AttachGuardianAsync(Caller caller, GuardianshipClaim claim) => Guardians.AttachAsync(caller, claim);

    public Task DetachGuardianAsync(Caller caller) => Guardians.DetachAsync(caller);

    public Task<bool> ComeOfAgeAsync() => Guardians.ComeOfAgeAsync();

    public Task<GuardianFeedPage> ReadFeedForGuardianAsync(Caller caller, long afterSequence, int limit) => Guardians.ReadFeedAsync(caller, afterSequence, limit);

    public Task<IReadOnlyList<ChildSpace>> GetChildrenAsync(Caller caller) => Guardians.GetChildrenAsync(caller);

    public Task<bool> LinkChildAsync(Caller caller, ChildSpace child) => Guardians.LinkChildAsync(caller, child);

    public Task<bool> UnlinkChildAsync(Caller caller, Guid childSpaceId) => Guardians.UnlinkChildAsync(caller, childSpaceId);

    // The patient's controls and professionals' access.
    public Task<AccessSettings> GetSettingsAsync(Caller caller) => Access.GetSettingsAsync(caller);

    public Task<AccessSettings> SetProfessionalAsync(Caller caller, string rpps, GrantRequest request) => Access.SetProfessionalAsync(caller, rpps, request);

    public Task<AccessSettings> RevokeAsync(Caller caller, string rpps) => Access.RevokeAsync(caller, rpps);

    public Task<AccessSettings> ExtendAsync(Caller caller, string rpps, int days) => Access.ExtendAsync(caller, rpps, days);

    public Task<AccessSettings> SetTreatingDoctorAsync(Caller caller, string? rpps) => Access.SetTreatingDoctorAsync(caller, rpps);

    public Task<AccessSettings> SetEmergencyOptOutAsync(Caller caller, bool optOut) => Access.SetEmergencyOptOutAsync(caller, optOut);

    public Task<PatientMatch> FindAsync(Caller caller, PatientSearch search) => Access.FindAsync(caller, search);

    public Task<PatientMatch> OpenEmergencyAccessAsync(Caller caller, PatientSearch search, string reason) => Access.OpenEmergencyAccessAsync(caller, search, reason);

    public Task<PatientProfile> GetProfileAsync(Caller caller) => Access.GetProfileAsync(caller);

    public Task<HealthProfileAccess> OpenHealthProfileAsync(Caller caller, HealthProfileAction action) => Access.OpenHealthProfileAsync(caller, action);

    public Task<AccessHistoryPage> GetHistoryAsync(Caller caller, AccessHistoryFilter filter) => Access.GetHistoryAsync(caller, filter);

    public Task<HistoryVerification> VerifyHistoryAsync(Caller caller) => Access.VerifyHistoryAsync(caller);

    public Task<byte[]> ExportHistoryPdfAsync(Caller caller) => Access.ExportHistoryPdfAsync(caller);

    public Task<Messaging.MessagingView> GetMessagingViewAsync(Caller caller, string? senderRpps) => Access.GetMessagingViewAsync(caller, senderRpps);

    // Documents.
    public Task<UploadPermit> PrepareUploadAsync(Caller caller, DocumentDeclaration declaration, string? idempotencyKey, long? declaredLength) =>
        Documents.PrepareUploadAsync(caller, declaration, idempotencyKey, declaredLength);

    public Task<UploadResult> CommitUploadAsync(Caller caller, DocumentDeclaration declaration, StoredUpload stored, string? idempotencyKey) =>
        Documents.CommitUploadAsync(caller, declaration, stored, idempotencyKey);

    public Task<StoredDocument> LocateAsync(Caller caller, Guid documentId) => Documents.LocateAsync(caller, documentId);

    public Task<bool> AnnounceReleaseAsync(Guid documentId) => Documents.AnnounceReleaseAsync(documentId);

    public Task<DocumentPage> ListAsync(Caller caller, DocumentFilter filter) => Documents.ListAsync(caller, filter);

    public Task<DocumentInfo> GetAsync(Caller caller, Guid documentId) => Documents.GetAsync(caller, documentId);

    public Task<DocumentInfo> ChangeAsync(Caller caller, Guid documentId, DocumentChange change) => Documents.ChangeAsync(caller, documentId, change);

    public Task<DocumentInfo> SetMaskedAsync(Caller caller, Guid documentId, bool masked) => Documents.SetMaskedAsync(caller, documentId, masked);

    public Task<DocumentInfo> ReleaseAsync(Caller caller, Guid documentId) => Documents.ReleaseAsync(caller, documentId);

    public Task DeleteAsync(Caller caller, Guid documentId) => Documents.DeleteAsync(caller, documentId);
}
