using MonEspaceSante.Spaces;

namespace MonEspaceSante.Api.Accounts;

public sealed record ActivationBody(string? Code, string? Nir, string? VitaleSerial, VitaleCardType? CardType, string? Email, string? Password);

public sealed record OppositionBody(string? Code, string? Nir);

public sealed record OppositionResponse(string Reference, DateTimeOffset OpposedAt, string ProofToken);

public sealed record ProofBody(string? Nir, string? ProofToken);

public sealed record NewCodeBody(string? Nir, string? VitaleSerial, DateOnly? BirthDate);

public sealed record LoginBody(string? Email, string? Password);

public sealed record LoginChallengeResponse(Guid ChallengeId, DateTimeOffset ExpiresAt, string Delivery);

/// <summary><c>DeviceToken</c>: what an earlier login on this device returned; without it the login is reported as from a new device.</summary>
public sealed record VerifyBody(string? Email, Guid? ChallengeId, string? Code, string? DeviceToken);

/// <summary><c>DeviceToken</c> is set after a login from a new device: keep it and send it with the next logins.</summary>
public sealed record SessionResponse(string AccessToken, string TokenType, DateTimeOffset ExpiresAt, string? DeviceToken);
