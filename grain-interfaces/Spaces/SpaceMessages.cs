using MonEspaceSante.Identity;

namespace MonEspaceSante.Spaces;

public sealed record ActivationRequest(
    string Code,
    Nir Nir,
    string VitaleSerial,
    VitaleCardType CardType,
    string Email,
    string Password,
    string? ClientAddress);

public sealed record OppositionRequest(string Code, Nir Nir, string? ClientAddress);

public sealed record OppositionResult(string Reference, DateTimeOffset OpposedAt, string ProofToken);

/// <summary>Asks for a new activation code; identity is proven by NIR, Vitale serial and birth date.</summary>
public sealed record NewCodeRequest(Nir Nir, string VitaleSerial, DateOnly BirthDate);

public sealed record LoginChallenge(Guid ChallengeId, DateTimeOffset ExpiresAt);

/// <summary>
/// A patient session. <see cref="Token"/> is the bearer secret, shown once; only its hash is kept.
/// <see cref="DeviceToken"/> is set when the login came from a device not seen before: the client
/// keeps it and sends it with its next logins so they are not reported as a new device.
/// </summary>
public sealed record SessionGrant(Guid SpaceId, DateTimeOffset ExpiresAt, string Token)
{
    public string? DeviceToken { get; init; }
}

public sealed record EmailChangeChallenge(Guid ChallengeId, DateTimeOffset ExpiresAt);

/// <summary>
/// Which e-mail alerts the patient wants. Security alerts (new device, password or e-mail
/// change, emergency access, account events) are always sent and cannot be turned off.
/// </summary>
public sealed record AlertPreferences(bool Messages, bool Documents)
{
    public bool Security => true;
}

/// <summary>What a patient sees of their own space.</summary>
public sealed record SpaceSummary(
    Guid SpaceId,
    SpaceStatus Status,
    string BirthName,
    string FirstNames,
    DateOnly BirthDate,
    string? Email,
    DateTimeOffset? ActivatedAt,
    ActivationMode? ActivationMode,
    DateTimeOffset? ClosedAt,
    DateTimeOffset? ArchivedUntil);

/// <summary>Everything the platform holds about a space, for the patient's own download.</summary>
public sealed record SpaceArchive(SpaceSummary Space, string Nir, string? PostalAddress, DateOnly NotificationDate, IReadOnlyList<ArchivedNotification> Notifications, DateTimeOffset ExportedAt);

public sealed record ArchivedNotification(Guid Id, long Sequence, string Kind, DateTimeOffset At, string Payload);
