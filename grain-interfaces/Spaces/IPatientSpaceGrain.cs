using MonEspaceSante.Identity;

namespace MonEspaceSante.Spaces;

/// <summary>
/// One insured person's space. Owns its lifecycle and its access rules; every method is one
/// transaction on the space's row.
/// </summary>
public interface IPatientSpaceGrain
{
    Guid SpaceId { get; }

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

    Task<SessionGrant> CompleteLoginAsync(Guid challengeId, string oneTimeCode);

    Task<SpaceArchive> ExportAsync(Caller caller);

    Task<SpaceSummary> CloseAsync(Caller caller, string password);

    /// <summary>Removes a closed space whose retention has ended. Idempotent.</summary>
    Task<bool> PurgeAsync();
}
