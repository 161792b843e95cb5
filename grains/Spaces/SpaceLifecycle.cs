using System.Globalization;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using MonEspaceSante.Errors;
using MonEspaceSante.Identity;
using MonEspaceSante.Mail;
using MonEspaceSante.Notifications;
using MonEspaceSante.Pdf;
using MonEspaceSante.Storage;
using MonEspaceSante.Runtime;
using MonEspaceSante.Security;
using MonEspaceSante.Sessions;

namespace MonEspaceSante.Spaces;

/// <summary>
/// The patient space grain: its lifecycle and its access rules. Every refusal that could help
/// someone guess a code or probe for a space gives the same error whichever factor was wrong.
/// </summary>
public sealed partial class SpaceLifecycle(Guid spaceId, PatientSpaceServices services, IGrainCaller<PatientSpaceState> calls)
{
    private const string CodeScope = "activation";
    private const string ChallengeScope = "login-challenge";
    private const string ProofScope = "opposition-proof";

    private SpaceOptions Options => services.Options.Value;

    public Task<SpaceSummary> GetSummaryAsync(Caller caller) =>
        CallAsync(ctx => Task.FromResult(Summary(RequireOwner(ctx, caller))));

    public Task<SpaceSummary> ActivateAsync(ActivationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var email = EmailAddress.Normalize(request.Email) ?? throw new DomainException(DomainError.InvalidEmail);
        if (!PasswordPolicy.IsAcceptable(request.Password))
        {
            throw new DomainException(DomainError.WeakPassword, $"Use {PasswordPolicy.MinLength} to {PasswordPolicy.MaxLength} characters with at least three of: lower case, upper case, digits, symbols.");
        }

        return CallAsync(async ctx =>
        {
            var state = ctx.State ?? throw new DomainException(DomainError.ActivationRefused);
            var waiting = state.Status is SpaceStatus.Created or SpaceStatus.Opposed
                || (state.Status == SpaceStatus.Active && state.PasswordHash is null);
            if (!CheckCode(ctx, state, request.Code, waiting
                && state.Nir == request.Nir.Value
                && SameSerial(state.VitaleSerial, request.VitaleSerial)
                && state.VitaleCardType == request.CardType, DomainError.ActivationRefused))
            {
                return Summary(state);
            }

            if (!await SpaceDirectory.ClaimAsync(ctx.Connection, ctx.Transaction, SpaceDirectory.EmailKind, services.Directory.EmailKey(email), spaceId))
            {
                throw new DomainException(DomainError.EmailTaken);
            }

            if (state.Status != SpaceStatus.Active)
            {
                state.ActivatedAt = ctx.Now;
                state.ActivationMode = ActivationMode.ByPatient;
            }

            state.Status = SpaceStatus.Active;
            state.Email = email;
            state.PasswordHash = services.Passwords.HashPassword(state, request.Password);
            state.CodeHash = null;
            state.CodeExpiresAt = null;
            ctx.Write(state, state.Status.ToString(), DueAt(state));
            ctx.Notify(spaceId.ToString(), "account.activated", Payload(("mode", "patient")));
            ctx.Enqueue(services.Mail.Job(AccountMails.Activated(email), ctx.Now));
            return Summary(state);
        });
    }

    public Task<OppositionResult> OpposeAsync(OppositionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return CallAsync(ctx =>
        {
            var state = ctx.State ?? throw new DomainException(DomainError.OppositionRefused);
            if (!CheckCode(ctx, state, request.Code, state.Status == SpaceStatus.Created && state.Nir == request.Nir.Value, DomainError.OppositionRefused))
            {
                return Task.FromResult<OppositionResult>(null!);
            }

            var token = OneTimeCode.NewToken();
            state.Status = SpaceStatus.Opposed;
            state.OpposedAt = ctx.Now;
            // Read out on the phone: grouped like the activation code, from its unambiguous alphabet.
            state.OppositionReference = "OPP-" + ctx.Now.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "-" + ActivationCode.New()[..9];
            state.ProofTokenHash = services.Keys.CodeHash(ProofScope, token);
            state.CodeHash = null;
            state.CodeExpiresAt = null;
            ctx.Write(state, state.Status.ToString(), null);
            if (state.InsurerEmail is { } insurerEmail)
            {
                ctx.Enqueue(services.Mail.Job(AccountMails.Opposed(insurerEmail, state.OppositionReference), ctx.Now));
            }

            return Task.FromResult(new OppositionResult(state.OppositionReference, ctx.Now, token));
        });
    }

    public Task<byte[]> GetOppositionProofAsync(string proofToken) =>
        CallAsync(ctx =>
        {
            var state = ctx.State;
            if (state is not { Status: SpaceStatus.Opposed, OppositionReference: { } reference, OpposedAt: { } at }
                || !services.Keys.CodeMatches(ProofScope, proofToken ?? "", state.ProofTokenHash))
            {
                throw new DomainException(DomainError.NotFound);
            }

            return Task.FromResult(LetterRenderer.RenderOppositionProof(new OppositionProof(FullName(state), state.BirthDate, reference, at)));
        });

    public Task<bool> RequestNewCodeAsync(NewCodeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return CallAsync(ctx =>
        {
            var state = ctx.State;
            if (state is null || state.CodeAttemptsLockedUntil > ctx.Now)
            {
                return Task.FromResult(false);
            }

            var eligible = state.Status == SpaceStatus.Opposed
                || (state.Status == SpaceStatus.Active && state.PasswordHash is null)
                || (state.Status == SpaceStatus.Created && state.CodeExpiresAt <= ctx.Now);
            var identityMatches = state.Nir == request.Nir.Value && SameSerial(state.VitaleSerial, request.VitaleSerial) && state.BirthDate == request.BirthDate;
            if (!eligible || !identityMatches)
            {
                if (!identityMatches)
                {
                    CountFailedAttempt(ctx, state);
                    ctx.Write(state, state.Status.ToString(), DueAt(state));
                }

                return Task.FromResult(false);
            }

            IssueCode(ctx, state);
            ctx.Write(state, state.Status.ToString(), DueAt(state));
            return Task.FromResult(true);
        });
    }

    /// <summary>A new activation code, sent by the insurer's usual channel (letter or e-mail); the caller writes the state.</summary>
    internal void IssueCode(GrainContext<PatientSpaceState> ctx, PatientSpaceState state)
    {
        var code = ActivationCode.New();
        state.CodeGeneration++;
        state.CodeHash = CodeHash(ActivationCode.Normalize(code)!, state.CodeGeneration);
        state.CodeExpiresAt = ctx.Now + Options.CodeValidity;
        state.FailedCodeAttempts = 0;
        ctx.Enqueue(services.Notices.Job([new ActivationNotice(spaceId, code, state.CodeGeneration)], ctx.Now));
    }

    public Task<bool> AutoActivateAsync() =>
        CallAsync(ctx =>
        {
            var state = ctx.State;
            if (state is not { Status: SpaceStatus.Created } || state.CodeExpiresAt > ctx.Now)
            {
                return Task.FromResult(false);
            }

            state.Status = SpaceStatus.Active;
            state.ActivatedAt = ctx.Now;
            state.ActivationMode = ActivationMode.Automatic;
            state.CodeHash = null;
            ctx.Write(state, state.Status.ToString(), null);
            ctx.Notify(spaceId.ToString(), "account.activated", Payload(("mode", "automatic")));
            return Task.FromResult(true);
        });

    public Task<LoginChallenge> BeginLoginAsync(string password, string? clientAddress) =>
        CallAsync(ctx =>
        {
            var state = ctx.State;
            if (state is not { Status: SpaceStatus.Active or SpaceStatus.Closed, PasswordHash: not null, Email: { } email })
            {
                throw new DomainException(DomainError.LoginRefused);
            }

            if (state.LockedOutUntil > ctx.Now)
            {
                throw new DomainException(DomainError.AccountLocked, retryAfter: state.LockedOutUntil - ctx.Now);
            }

            var verdict = services.Passwords.VerifyHashedPassword(state, state.PasswordHash, password ?? "");
            if (verdict == PasswordVerificationResult.Failed)
            {
                RefuseWrongPassword(ctx, state);
                return Task.FromResult<LoginChallenge>(null!);
            }

            if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
            {
                state.PasswordHash = services.Passwords.HashPassword(state, password!);
            }

            var code = OneTimeCode.NewDigits();
            state.FailedLogins = 0;
            state.ChallengeId = Guid.NewGuid();
            state.ChallengeCodeHash = services.Keys.CodeHash(ChallengeScope, state.ChallengeId + ":" + code);
            state.ChallengeExpiresAt = ctx.Now + Options.ChallengeLifetime;
            state.ChallengeAttempts = 0;
            ctx.Write(state, state.Status.ToString(), DueAt(state));
            ctx.Enqueue(services.Mail.Job(AccountMails.LoginCode(email, code), ctx.Now));
            return Task.FromResult(new LoginChallenge(state.ChallengeId.Value, state.ChallengeExpiresAt.Value));
        });

    public Task<SessionGrant> CompleteLoginAsync(Guid challengeId, string oneTimeCode, string? deviceToken = null) =>
        CallAsync(async ctx =>
        {
            var state = ctx.State;
            if (state is not { ChallengeId: { } current, ChallengeExpiresAt: { } expires } || current != challengeId || expires <= ctx.Now)
            {
                throw new DomainException(DomainError.SecondFactorRefused);
            }

            if (!services.Keys.CodeMatches(ChallengeScope, current + ":" + (oneTimeCode ?? "").Trim(), state.ChallengeCodeHash))
            {
                state.ChallengeAttempts++;
                if (state.ChallengeAttempts >= Options.MaxChallengeAttempts)
                {
                    ClearChallenge(state);
                }

                ctx.Write(state, state.Status.ToString(), DueAt(state));
                ctx.FailAfterCommit(DomainError.SecondFactorRefused);
                return null!;
            }

            ClearChallenge(state);
            var newDevice = RecognizeDevice(state, deviceToken, out var issuedDevice);
            ctx.Write(state, state.Status.ToString(), DueAt(state));
            var grant = await SessionStore.CreateAsync(ctx.Connection, ctx.Transaction, spaceId, ctx.Now, Options.SessionLifetime);
            var at = ctx.Now.ToString("O", CultureInfo.InvariantCulture);
            if (newDevice)
            {
                // A login from a device never seen: a security alert, always sent by e-mail too.
                ctx.Notify(spaceId.ToString(), NewDeviceKind, Payload(("at", at)));
                ctx.Enqueue(services.Mail.Job(AccountMails.NewDevice(state.Email!, ctx.Now), ctx.Now));
            }
            else
            {
                ctx.Notify(spaceId.ToString(), "security.login", Payload(("at", at)));
            }

            return grant with { DeviceToken = issuedDevice };
        });

    public Task<SpaceArchive> ExportAsync(Caller caller) =>
        CallAsync(async ctx =>
        {
            var state = RequireOwner(ctx, caller);
            var rows = await ctx.Connection.QueryAsync<(string Id, long Seq, string Kind, string Payload, long At)>(
                "select cast(id as text), seq, kind, cast(payload as text), created_at_ms from notifications where recipient_id = @id order by seq",
                new { id = spaceId.ToString() },
                ctx.Transaction);
            var notifications = rows.Where(r => !GuardianView.Hides(caller, r.Payload)).Select(r => new ArchivedNotification(Guid.Parse(r.Id), r.Seq, r.Kind, DateTimeOffset.FromUnixTimeMilliseconds(r.At), r.Payload)).ToList();
            return new SpaceArchive(Summary(state), state.Nir, state.PostalAddress, state.NotificationDate, notifications, ctx.Now);
        });

    public Task<SpaceSummary> CloseAsync(Caller caller, string password) =>
        CallAsync(ctx =>
        {
            var state = RequireHolder(ctx, caller, spaceId);
            if (state.Status == SpaceStatus.Closed)
            {
                throw new DomainException(DomainError.SpaceClosed);
            }

            if (state.Status != SpaceStatus.Active || state.PasswordHash is null)
            {
                throw new DomainException(DomainError.InvalidState);
            }

            // Closing is irreversible for the patient's data: re-confirm with the password.
            if (services.Passwords.VerifyHashedPassword(state, state.PasswordHash, password ?? "") == PasswordVerificationResult.Failed)
            {
                throw new DomainException(DomainError.LoginRefused);
            }

            state.Status = SpaceStatus.Closed;
            state.ClosedAt = ctx.Now;
            state.ArchivedUntil = ctx.Now.AddYears(Options.ArchiveYears);
            ctx.Write(state, state.Status.ToString(), state.ArchivedUntil);
            ctx.Notify(spaceId.ToString(), "account.closed", Payload(("archivedUntil", state.ArchivedUntil.Value.ToString("O", CultureInfo.InvariantCulture))));
            if (state.Email is { } email)
            {
                ctx.Enqueue(services.Mail.Job(AccountMails.Closed(email, state.ArchivedUntil.Value), ctx.Now));
            }

            return Task.FromResult(Summary(state));
        });

    /// <summary>Whether the space is closed and its archive period over (from the committed state, no transaction).</summary>
    public bool PurgeDue(DateTimeOffset now) =>
        calls.Stored is { Status: SpaceStatus.Closed, ArchivedUntil: { } until } && until <= now;

    public async Task<bool> PurgeAsync()
    {
        // Null: no space (purged before); false: not due.
        var purged = await CallAsync<bool?>(async ctx =>
        {
            if (ctx.State is null)
            {
                return null;
            }

            if (ctx.State is not { Status: SpaceStatus.Closed, ArchivedUntil: { } until } || until > ctx.Now)
            {
                return false;
            }

            var id = spaceId.ToString();
            await ctx.Connection.ExecuteAsync("delete from directory where grain_id = @id", new { id }, ctx.Transaction);
            await ctx.Connection.ExecuteAsync("delete from sessions where space_id = @id", new { id }, ctx.Transaction);
            await ctx.Connection.ExecuteAsync("delete from notifications where recipient_id = @id", new { id }, ctx.Transaction);
            await ctx.Connection.ExecuteAsync("delete from feed_heads where recipient_id = @id", new { id }, ctx.Transaction);
            // Document content goes to the sweeper; with the state row goes the data key, so any
            // copy of the content left anywhere (a backup) is unreadable from now on.
            await ctx.Connection.ExecuteAsync(
                "insert into content_orphans (content_key, space_id, since_ms) select content_key, space_id, 0 from documents where space_id = @id on conflict (content_key) do nothing",
                new { id }, ctx.Transaction);
            await ctx.Connection.ExecuteAsync("delete from documents where space_id = @id", new { id }, ctx.Transaction);
            // The access history goes in the same transaction: the database lets a closed space's
            // history be removed, through a function on PostgreSQL (the silo's role has no DELETE).
            await ctx.Connection.ExecuteAsync(
                services.Provider == DatabaseProvider.Postgres
                    ? "select purge_access_history(@id)"
                    : "delete from access_history where space_id = @id; delete from access_history_heads where space_id = @id",
                new { id }, ctx.Transaction);
            await ctx.Connection.ExecuteAsync("delete from access_rate where space_id = @id", new { id }, ctx.Transaction);
            ctx.Delete();
            return true;
        });
        return purged == true;
    }

    /// <summary>The keyed hash of a code; the generation makes an old code useless once a new one is issued.</summary>
    internal string CodeHash(string normalizedCode, int generation) => HashCode(services.Keys, spaceId, generation, normalizedCode);

    /// <summary>Shared with the bulk enrolment path, which writes spaces without a grain call.</summary>
    internal static string HashCode(KeyRing keys, Guid spaceId, int generation, string normalizedCode) =>
        keys.CodeHash(CodeScope, $"{spaceId}:{generation}:{normalizedCode}");

    /// <summary>The same hash through a reused hasher, for the bulk enrolment path.</summary>
    internal static string HashCode(KeyedHasher codes, Guid spaceId, int generation, ReadOnlySpan<char> normalizedCode)
    {
        Span<char> input = stackalloc char[64];
        if (!input.TryWrite(CultureInfo.InvariantCulture, $"{spaceId}:{generation}:{normalizedCode}", out var written))
        {
            throw new ArgumentException("An activation code is 13 symbols.", nameof(normalizedCode));
        }

        return codes.Hash(CodeScope, input[..written]);
    }

    private Task<T> CallAsync<T>(Func<GrainContext<PatientSpaceState>, Task<T>> body) => calls.CallAsync(body);

    /// <summary>
    /// Checks the code and the other factors together. On failure it counts the attempt (locking
    /// the space's codes after too many), commits that, and reports one error whatever failed.
    /// </summary>
    private bool CheckCode(GrainContext<PatientSpaceState> ctx, PatientSpaceState state, string code, bool otherFactorsMatch, DomainError refusal)
    {
        if (state.CodeAttemptsLockedUntil > ctx.Now)
        {
            throw new DomainException(DomainError.TooManyAttempts, retryAfter: state.CodeAttemptsLockedUntil - ctx.Now);
        }

        var normalized = ActivationCode.Normalize(code);
        var codeMatches = normalized is not null
            && services.Keys.CodeMatches(CodeScope, $"{spaceId}:{state.CodeGeneration}:{normalized}", state.CodeHash)
            && state.CodeExpiresAt > ctx.Now;
        if (codeMatches && otherFactorsMatch)
        {
            state.FailedCodeAttempts = 0;
            return true;
        }

        var locked = CountFailedAttempt(ctx, state);
        ctx.Write(state, state.Status.ToString(), DueAt(state));
        ctx.FailAfterCommit(locked ? DomainError.TooManyAttempts : refusal, locked ? state.CodeAttemptsLockedUntil - ctx.Now : null);
        return false;
    }

    internal bool CountFailedAttempt(GrainContext<PatientSpaceState> ctx, PatientSpaceState state)
    {
        state.FailedCodeAttempts++;
        if (state.FailedCodeAttempts < Options.MaxCodeAttempts)
        {
            return false;
        }

        state.FailedCodeAttempts = 0;
        state.CodeAttemptsLockedUntil = ctx.Now + Options.CodeLockout;
        return true;
    }

    private PatientSpaceState RequireOwner(GrainContext<PatientSpaceState> ctx, Caller caller) => RequireOwner(ctx, caller, spaceId);

    /// <summary>
    /// The space's state for whoever manages it: its holder, or one of a minor's guardians while
    /// the child is under 18 and the space active. A guardian of a child now of age is told so;
    /// anyone else gets the same answer as for a space that does not exist.
    /// </summary>
    internal static PatientSpaceState RequireOwner(GrainContext<PatientSpaceState> ctx, Caller caller, Guid spaceId)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(caller);
        if (ctx.State is { } state)
        {
            if (caller.Kind == CallerKind.Patient && caller.Id == spaceId.ToString())
            {
                return state;
            }

            if (caller.Kind == CallerKind.Guardian && IsGuardian(state, caller))
            {
                if (state.GuardianshipEndedAt is not null || !Majority.IsMinor(state.BirthDate, ctx.Now))
                {
                    throw new DomainException(DomainError.GuardianshipEnded);
                }

                // A guardian manages a space in use; a closed one is the holder's archive alone.
                return state.Status == SpaceStatus.Active ? state : throw new DomainException(DomainError.NotFound);
            }
        }

        throw new DomainException(DomainError.NotFound);
    }

    /// <summary>The space's state for its holder only (login, e-mail, alerts, closure): a guardian is told they may not.</summary>
    internal static PatientSpaceState RequireHolder(GrainContext<PatientSpaceState> ctx, Caller caller, Guid spaceId)
    {
        var state = RequireOwner(ctx, caller, spaceId);
        return caller.Kind == CallerKind.Guardian ? throw new DomainException(DomainError.HolderOnly) : state;
    }

    internal static bool IsGuardian(PatientSpaceState state, Caller caller) =>
        caller.Kind == CallerKind.Guardian && state.Guardians is { } guardians && guardians.Exists(g => g.SpaceId.ToString() == caller.Id);

    /// <summary>What the schedulers look for: waiting spaces at their code's end, minors' spaces at 18, closed ones at their archive's end.</summary>
    internal static DateTimeOffset? DueAt(PatientSpaceState state) => state.Status switch
    {
        SpaceStatus.Created => state.CodeExpiresAt,
        // A minor's space with guardians: handed over to its holder at 18 (SpaceGuardians.ComeOfAgeAsync).
        SpaceStatus.Active when state.Guardians is { Count: > 0 } && state.GuardianshipEndedAt is null => Majority.At(state.BirthDate),
        SpaceStatus.Closed => state.ArchivedUntil,
        _ => null,
    };

    private static void ClearChallenge(PatientSpaceState state)
    {
        state.ChallengeId = null;
        state.ChallengeCodeHash = null;
        state.ChallengeExpiresAt = null;
        state.ChallengeAttempts = 0;
    }

    internal static bool SameSerial(string stored, string? given) =>
        string.Equals(NormalizeSerial(stored), NormalizeSerial(given), StringComparison.Ordinal);

    internal static string NormalizeSerial(string? serial)
    {
        // Called for every row of enrolment files: one string, no LINQ iterators.
        var text = serial ?? "";
        var kept = 0;
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                kept++;
            }
        }

        return string.Create(kept, text, static (chars, source) =>
        {
            var n = 0;
            foreach (var c in source)
            {
                if (char.IsLetterOrDigit(c))
                {
                    chars[n++] = char.ToUpperInvariant(c);
                }
            }
        });
    }

    internal static string FullName(PatientSpaceState state) => $"{state.FirstNames} {state.BirthName}";

    private static SpaceSummary Summary(PatientSpaceState s) =>
        new(s.SpaceId, s.Status, s.BirthName, s.FirstNames, s.BirthDate, s.Email, s.ActivatedAt, s.ActivationMode, s.ClosedAt, s.ArchivedUntil);

    private static string Payload(params (string Key, string Value)[] fields) =>
        JsonSerializer.Serialize(fields.ToDictionary(f => f.Key, f => f.Value), GrainJsonContext.Default.DictionaryStringString);
}
