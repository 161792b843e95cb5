using Orleans;

namespace MonEspaceSante.Errors;

/// <summary>
/// A stable, documented error. <see cref="Code"/> becomes the problem-details <c>type</c>
/// (<c>https://monespacesante.example/problems/{code}</c>), so clients can rely on it.
/// </summary>
[GenerateSerializer]
[Alias("mes.DomainError")]
public sealed record DomainError([property: Id(0)] string Code, [property: Id(1)] string Title, [property: Id(2)] int Status)
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
    public static readonly DomainError MalformedMultipart = new("malformed-multipart", "The multipart body could not be read: a part's headers are malformed.", 400);
    public static readonly DomainError EmptyContent = new("empty-content", "The document has no content.", 400);
    public static readonly DomainError ContentTooLarge = new("content-too-large", "The document is larger than the size limit.", 413);
    public static readonly DomainError UnsupportedFormat = new("unsupported-format", "The content is not an accepted format (PDF, JPEG, PNG, plain text, CDA R2 XML, FHIR JSON) or does not match its declared type.", 415);
    public static readonly DomainError ContentCorrupted = new("content-integrity-failure", "The stored content failed its integrity check and was not served.", 500);
    public static readonly DomainError TooManyPatients = new("too-many-patients", "Too many different patient spaces opened in the last hour; operators have been alerted.", 429);
    public static readonly DomainError ActingForRequired = new("acting-for-required", "Software must name the professional it acts for (X-Acting-For header, an RPPS).", 403);
    public static readonly DomainError RecipientOutsidePlatform = new("recipient-outside-platform", "Messages cannot leave the platform: this address is not a platform mailbox.", 422);
    public static readonly DomainError UnknownRecipient = new("unknown-recipient", "No platform mailbox has this address.", 422);
    public static readonly DomainError ConversationRequired = new("conversation-required", "A patient can only write to a professional who wrote to them first.", 403);
    public static readonly DomainError RecipientRefuses = new("recipient-refuses", "This patient does not accept messages from you.", 403);
    public static readonly DomainError RecipientClosed = new("recipient-closed", "This patient's space is closed and receives no messages.", 409);
    public static readonly DomainError TooManyMessages = new("too-many-messages", "Too many messages sent recently; try again later.", 429);
    public static readonly DomainError GuardianshipRefused = new("guardianship-refused", "The child's details do not match a minor's space that can take a guardian.", 400);
    public static readonly DomainError NotAMinor = new("not-a-minor", "This person is 18 or over: their space is theirs alone.", 409);
    public static readonly DomainError TooManyGuardians = new("too-many-guardians", "This child's space already has two guardians.", 409);
    public static readonly DomainError GuardianshipEnded = new("guardianship-ended", "The child has come of age: the space is now theirs alone and guardians no longer reach it.", 403);
    public static readonly DomainError HolderOnly = new("holder-only", "Only the space's holder may do this; a guardian manages a child's documents, access settings, history and health profile.", 403);
    public static readonly DomainError DocumentReadOnly = new("document-read-only", "Only the author of a document may change or replace it.", 403);
    public static readonly DomainError EntryReadOnly = new("entry-read-only", "Only the author of a health profile entry may change it; the patient may remove any.", 403);
    public static readonly DomainError SectionFull = new("section-full", "This section of the health profile holds as many entries as it may; remove some first.", 409);
    public static readonly DomainError VersionMismatch = new("version-mismatch", "The entry changed since it was read (If-Match); read it again.", 412);
}

/// <summary>Thrown by grains for an expected refusal; mapped to problem details by the API.</summary>
/// <remarks>
/// A grain's refusal reaches the API from another silo, so the exception must arrive as itself,
/// with its <see cref="Error"/> and <see cref="Detail"/>: those are what the API's handler turns
/// into problem details, and without them a refusal would become a 500. Orleans' exception codec
/// carries the message, stack trace and data; the [Id] members carry the rest.
/// </remarks>
[GenerateSerializer]
[Alias("mes.DomainException")]
public sealed class DomainException(DomainError error, string? detail = null, TimeSpan? retryAfter = null)
    : Exception(detail ?? error.Title)
{
    // Deliberately no parameterless constructor: it would allow a DomainException without an
    // Error, which the API's handler cannot map. Orleans does not need one: lacking a public
    // parameterless constructor it creates the instance uninitialised, its exception codec then
    // runs Exception's own deserialisation constructor, and the generated code sets the fields
    // below.

    [Id(0)]
    public DomainError Error { get; } = error;

    [Id(1)]
    public string? Detail { get; } = detail;

    /// <summary>When a refusal is temporary (a lockout, an hourly limit): how long until it lifts, sent as <c>Retry-After</c>.</summary>
    [Id(2)]
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
