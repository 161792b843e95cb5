namespace MonEspaceSante.Errors;

/// <summary>
/// A stable, documented error. <see cref="Code"/> becomes the problem-details <c>type</c>
/// (<c>https://monespacesante.example/problems/{code}</c>), so clients can rely on it.
/// </summary>
public sealed record DomainError(string Code, string Title, int Status)
{
    public static readonly DomainError ActivationRefused = new("activation-refused", "The activation details do not match a space waiting for them.", 400);
    public static readonly DomainError OppositionRefused = new("opposition-refused", "The opposition details do not match a space that can still be opposed.", 400);
    public static readonly DomainError TooManyAttempts = new("too-many-attempts", "Too many failed attempts; try again later.", 429);
    public static readonly DomainError LoginRefused = new("login-refused", "E-mail or password is incorrect.", 401);
    public static readonly DomainError AccountLocked = new("account-locked", "The account is temporarily locked after repeated failures.", 423);
    public static readonly DomainError SecondFactorRefused = new("second-factor-refused", "The one-time code is incorrect or expired.", 401);
    public static readonly DomainError WeakPassword = new("weak-password", "The password does not meet the password policy.", 400);
    public static readonly DomainError EmailTaken = new("email-taken", "This e-mail address is already used by another space.", 409);
    public static readonly DomainError InvalidEmail = new("invalid-email", "The e-mail address is not valid.", 400);
    public static readonly DomainError InvalidRequest = new("invalid-request", "The request is not valid.", 400);
    public static readonly DomainError NotFound = new("not-found", "Not found.", 404);
    public static readonly DomainError SpaceClosed = new("space-closed", "The space is closed and read-only.", 409);
    public static readonly DomainError InvalidState = new("invalid-state", "The space is not in a state that allows this.", 409);
    public static readonly DomainError Forbidden = new("forbidden", "You may not do this.", 403);
    public static readonly DomainError Conflict = new("concurrency-conflict", "The resource changed too often concurrently; retry.", 409);
    public static readonly DomainError IdempotencyMismatch = new("idempotency-key-reused", "This idempotency key was used with a different request.", 422);
}

/// <summary>Thrown by grains for an expected refusal; mapped to problem details by the API.</summary>
public sealed class DomainException(DomainError error, string? detail = null)
    : Exception(detail ?? error.Title)
{
    public DomainError Error { get; } = error;
    public string? Detail { get; } = detail;
}
