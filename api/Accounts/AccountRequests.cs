using MonEspaceSante.Spaces;

namespace MonEspaceSante.Api.Accounts;

public sealed record ActivationBody(string? Code, string? Nir, string? VitaleSerial, VitaleCardType? CardType, string? Email, string? Password);

public sealed record OppositionBody(string? Code, string? Nir);

public sealed record OppositionResponse(string Reference, DateTimeOffset OpposedAt, string ProofToken);

public sealed record ProofBody(string? Nir, string? ProofToken);

public sealed record NewCodeBody(string? Nir, string? VitaleSerial, DateOnly? BirthDate);

public sealed record LoginBody(string? Email, string? Password);

public sealed record LoginChallengeResponse(Guid ChallengeId, DateTimeOffset ExpiresAt, string Delivery);

public sealed record VerifyBody(string? Email, Guid? ChallengeId, string? Code);

public sealed record SessionResponse(string AccessToken, string TokenType, DateTimeOffset ExpiresAt);
