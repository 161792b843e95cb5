using MonEspaceSante.Identity;
using Orleans;

namespace MonEspaceSante.Spaces;

[GenerateSerializer]
[Alias("mes.ActivationRequest")]
public sealed record ActivationRequest(
    [property: Id(0)] string Code,
    [property: Id(1)] Nir Nir,
    [property: Id(2)] string VitaleSerial,
    [property: Id(3)] VitaleCardType CardType,
    [property: Id(4)] string Email,
    [property: Id(5)] string Password,
    [property: Id(6)] string? ClientAddress);

[GenerateSerializer]
[Alias("mes.OppositionRequest")]
public sealed record OppositionRequest([property: Id(0)] string Code, [property: Id(1)] Nir Nir, [property: Id(2)] string? ClientAddress);

[GenerateSerializer]
[Alias("mes.OppositionResult")]
public sealed record OppositionResult([property: Id(0)] string Reference, [property: Id(1)] DateTimeOffset OpposedAt, [property: Id(2)] string ProofToken);

/// <summary>Asks for a new activation code; identity is proven by NIR, Vitale serial and birth date.</summary>
[GenerateSerializer]
[Alias("mes.NewCodeRequest")]
public sealed record NewCodeRequest([property: Id(0)] Nir Nir, [property: Id(1)] string VitaleSerial, [property: Id(2)] DateOnly BirthDate);

[GenerateSerializer]
[Alias("mes.LoginChallenge")]
public sealed record LoginChallenge([property: Id(0)] Guid ChallengeId, [property: Id(1)] DateTimeOffset ExpiresAt);

/// <summary>
/// A patient session. <see cref="Token"/> is the bearer secret, shown once; only its hash is kept.
/// <see cref="DeviceToken"/> is set when the login came from a device not seen before: the client
/// keeps it and sends it with its next logins so they are not reported as a new device.
/// </summary>
[GenerateSerializer]
[Alias("mes.SessionGrant")]
public sealed record SessionGrant([property: Id(0)] Guid SpaceId, [property: Id(1)] DateTimeOffset ExpiresAt, [property: Id(2)] string Token)
{
    [Id(3)]
    public string? DeviceToken { get; init; }
}

[GenerateSerializer]
[Alias("mes.EmailChangeChallenge")]
public sealed record EmailChangeChallenge([property: Id(0)] Guid ChallengeId, [property: Id(1)] DateTimeOffset ExpiresAt);

/// <summary>
/// Which e-mail alerts the patient wants. Security alerts (new device, password or e-mail
/// change, emergency access, account events) are always sent and cannot be turned off.
/// </summary>
[GenerateSerializer]
[Alias("mes.AlertPreferences")]
public sealed record AlertPreferences([property: Id(0)] bool Messages, [property: Id(1)] bool Documents)
{
    public bool Security => true;
}

/// <summary>What a patient sees of their own space.</summary>
[GenerateSerializer]
[Alias("mes.SpaceSummary")]
public sealed record SpaceSummary(
    [property: Id(0)] Guid SpaceId,
    [property: Id(1)] SpaceStatus Status,
    [property: Id(2)] string BirthName,
    [property: Id(3)] string FirstNames,
    [property: Id(4)] DateOnly BirthDate,
    [property: Id(5)] string? Email,
    [property: Id(6)] DateTimeOffset? ActivatedAt,
    [property: Id(7)] ActivationMode? ActivationMode,
    [property: Id(8)] DateTimeOffset? ClosedAt,
    [property: Id(9)] DateTimeOffset? ArchivedUntil);

/// <summary>Everything the platform holds about a space, for the patient's own download.</summary>
[GenerateSerializer]
[Alias("mes.SpaceArchive")]
public sealed record SpaceArchive([property: Id(0)] SpaceSummary Space, [property: Id(1)] string Nir, [property: Id(2)] string? PostalAddress, [property: Id(3)] DateOnly NotificationDate, [property: Id(4)] IReadOnlyList<ArchivedNotification> Notifications, [property: Id(5)] DateTimeOffset ExportedAt);

[GenerateSerializer]
[Alias("mes.ArchivedNotification")]
public sealed record ArchivedNotification([property: Id(0)] Guid Id, [property: Id(1)] long Sequence, [property: Id(2)] string Kind, [property: Id(3)] DateTimeOffset At, [property: Id(4)] string Payload);
