namespace MonEspaceSante.Api.Patients;

public sealed record ChangePasswordBody(string? CurrentPassword, string? NewPassword);

public sealed record EmailChangeBody(string? Password, string? NewEmail);

public sealed record EmailConfirmBody(Guid? ChallengeId, string? Code);

/// <summary><c>Security</c> may be sent only as true: security alerts cannot be turned off.</summary>
public sealed record AlertPreferencesBody(bool? Messages, bool? Documents, bool? Security);
