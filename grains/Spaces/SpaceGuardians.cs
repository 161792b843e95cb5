using System.Text.Json;
using MonEspaceSante.Errors;
using MonEspaceSante.Identity;
using MonEspaceSante.Notifications;
using MonEspaceSante.Runtime;

namespace MonEspaceSante.Spaces;

/// <summary>
/// Children's spaces, run by the space grain (<see cref="PatientSpaceGrain"/>): on a minor's
/// space, the guardians who manage it until 18; on a guardian's space, the list of the children
/// they attached. The child's space is the truth (its grain decides who its guardians are, on
/// every call, through <see cref="SpaceLifecycle.RequireOwner"/>); the guardian's list is an
/// index, written after the child's commit, so a crash in between leaves a guardian who can
/// attach again (idempotent) to see the child listed. Rules: docs/children.md.
/// </summary>
public sealed class SpaceGuardians(Guid spaceId, SpaceLifecycle lifecycle, IGrainCaller<PatientSpaceState> calls, IGrainFactory grains)
{
    public const int MaxGuardians = 2;
    public const string AttachedKind = "guardianship.attached";
    public const string DetachedKind = "guardianship.detached";
    public const string EndedKind = "guardianship.ended";
    public const string MajorityKind = "account.majority";
    private const int MaxSerialLength = 40;

    private string Id => spaceId.ToString();

    /// <summary>
    /// A patient attaches this (minor's) space as its guardian. The child's NIR, Vitale serial,
    /// card type and birth date must all match, and a failure counts against the same lockout as
    /// the space's activation code, so the claim cannot be used to guess a card's serial. The
    /// guardian's own space is asked first, outside this grain's transaction.
    /// </summary>
    public async Task<ChildSpace> AttachAsync(Caller caller, GuardianshipClaim claim)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(claim);
        if (caller.Kind != CallerKind.Patient || !Guid.TryParse(caller.Id, out var guardianId))
        {
            throw new DomainException(DomainError.HolderOnly, "A guardian attaches a child's space from their own space.");
        }

        if (!claim.ParentalAuthority)
        {
            throw new DomainException(DomainError.InvalidRequest, "parentalAuthority must be true: only a holder of parental authority over the child may attach their space.");
        }

        if (string.IsNullOrWhiteSpace(claim.VitaleSerial) || claim.VitaleSerial.Length > MaxSerialLength || !Enum.IsDefined(claim.CardType))
        {
            throw new DomainException(DomainError.InvalidRequest, $"vitaleSerial (at most {MaxSerialLength} characters) and cardType are required.");
        }

        if (guardianId == spaceId)
        {
            throw new DomainException(DomainError.GuardianshipRefused, "You cannot be your own guardian.");
        }

        var guardian = await grains.GetPatientSpace(guardianId).GetSummaryAsync(caller).ConfigureAwait(true);
        if (guardian.Status != SpaceStatus.Active)
        {
            throw new DomainException(DomainError.InvalidState, "Your own space must be active to manage a child's.");
        }

        var child = await calls.CallAsync(ctx =>
        {
            // Invalid input, not a wrong guess: checked before the space is looked at, so it
            // neither counts against the lockout nor tells whether the space exists.
            if (claim.BirthDate > DateOnly.FromDateTime(ctx.Now.UtcDateTime))
            {
                throw new DomainException(DomainError.InvalidRequest, "birthDate is in the future.");
            }

            var state = ctx.State ?? throw new DomainException(DomainError.GuardianshipRefused);
            if (state.CodeAttemptsLockedUntil > ctx.Now)
            {
                throw new DomainException(DomainError.TooManyAttempts, retryAfter: state.CodeAttemptsLockedUntil - ctx.Now);
            }

            var matches = state.Nir == claim.Nir.Value
                && SpaceLifecycle.SameSerial(state.VitaleSerial, claim.VitaleSerial)
                && state.VitaleCardType == claim.CardType
                && state.BirthDate == claim.BirthDate;
            if (!matches)
            {
                var locked = lifecycle.CountFailedAttempt(ctx, state);
                ctx.Write(state, state.Status.ToString(), SpaceLifecycle.DueAt(state));
                ctx.FailAfterCommit(locked ? DomainError.TooManyAttempts : DomainError.GuardianshipRefused, locked ? state.CodeAttemptsLockedUntil - ctx.Now : null);
                return Task.FromResult<ChildSpace>(null!);
            }

            // An opposed or closed space is its holder's decision; it looks like no match.
            if (state.Status is not (SpaceStatus.Created or SpaceStatus.Active))
            {
                throw new DomainException(DomainError.GuardianshipRefused);
            }

            if (!Majority.IsMinor(state.BirthDate, ctx.Now) || state.GuardianshipEndedAt is not null)
            {
                throw new DomainException(DomainError.NotAMinor);
            }

            state.FailedCodeAttempts = 0;
            var guardians = state.Guardians ??= [];
            var existing = guardians.Find(g => g.SpaceId == guardianId);
            if (existing is null)
            {
                if (guardians.Count >= MaxGuardians)
                {
                    throw new DomainException(DomainError.TooManyGuardians);
                }

                existing = new GuardianState { SpaceId = guardianId, Name = $"{guardian.FirstNames} {guardian.BirthName}", AttachedAt = ctx.Now };
                guardians.Add(existing);
                if (state.Status == SpaceStatus.Created)
                {
                    // The guardian's attachment is the child's activation: no code will be asked for until 18.
                    state.Status = SpaceStatus.Active;
                    state.ActivatedAt = ctx.Now;
                    state.ActivationMode = ActivationMode.ByGuardian;
                    state.CodeHash = null;
                    state.CodeExpiresAt = null;
                    ctx.Notify(Id, "account.activated", Payload(("mode", "guardian")));
                }

                // The child's feed, which every guardian reads, and each guardian's own.
                foreach (var recipient in guardians)
                {
                    ctx.Notify(recipient.SpaceId.ToString(), AttachedKind, Payload(("childSpaceId", Id), ("guardian", existing.Name)));
                }

                ctx.Notify(Id, AttachedKind, Payload(("guardian", existing.Name)));
            }

            ctx.Write(state, state.Status.ToString(), SpaceLifecycle.DueAt(state));
            return Task.FromResult(Child(state, existing.AttachedAt, ctx.Now));
        }).ConfigureAwait(true);

        await grains.GetPatientSpace(guardianId).LinkChildAsync(Caller.System, child).ConfigureAwait(true);
        return child;
    }

    /// <summary>A guardian gives up managing this space (also after the child came of age, to tidy their list).</summary>
    public async Task DetachAsync(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        await calls.CallAsync(ctx =>
        {
            if (ctx.State is not { } state || !SpaceLifecycle.IsGuardian(state, caller))
            {
                throw new DomainException(DomainError.NotFound);
            }

            var leaving = state.Guardians!.Find(g => g.SpaceId.ToString() == caller.Id)!;
            state.Guardians.Remove(leaving);
            foreach (var recipient in state.Guardians)
            {
                ctx.Notify(recipient.SpaceId.ToString(), DetachedKind, Payload(("childSpaceId", Id), ("guardian", leaving.Name)));
            }

            ctx.Notify(Id, DetachedKind, Payload(("guardian", leaving.Name)));
            ctx.Write(state, state.Status.ToString(), SpaceLifecycle.DueAt(state));
            return Task.FromResult(true);
        }).ConfigureAwait(true);

        await grains.GetPatientSpace(Guid.Parse(caller.Id)).UnlinkChildAsync(Caller.System, spaceId).ConfigureAwait(true);
    }

    /// <summary>
    /// At 18 (claimed from the deadline table by <see cref="LifecycleScheduler"/>): the space
    /// becomes its holder's alone. Guardians already lose access at the birthday itself (checked
    /// on every call); this tells them and the young adult, and sends the young adult an
    /// activation code so they can set their own login. Idempotent.
    /// </summary>
    public Task<bool> ComeOfAgeAsync() =>
        calls.CallAsync(ctx =>
        {
            if (ctx.State is not { Status: SpaceStatus.Active, Guardians.Count: > 0, GuardianshipEndedAt: null } state || Majority.IsMinor(state.BirthDate, ctx.Now))
            {
                return Task.FromResult(false);
            }

            state.GuardianshipEndedAt = ctx.Now;
            foreach (var guardian in state.Guardians!)
            {
                ctx.Notify(guardian.SpaceId.ToString(), EndedKind, Payload(("childSpaceId", Id), ("child", SpaceLifecycle.FullName(state))));
            }

            ctx.Notify(Id, MajorityKind, Payload(("guardiansRemoved", state.Guardians.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            if (state.PasswordHash is null)
            {
                lifecycle.IssueCode(ctx, state);
            }

            ctx.Write(state, state.Status.ToString(), SpaceLifecycle.DueAt(state));
            return Task.FromResult(true);
        });

    /// <summary>
    /// The child's feed for one of its guardians, read in the grain so that the space decides who
    /// reads it: the entries about a document hidden from guardians are left out (the page's
    /// last sequence still moves past them, so the guardian resumes after them).
    /// </summary>
    public Task<GuardianFeedPage> ReadFeedAsync(Caller caller, long afterSequence, int limit) =>
        calls.CallAsync(async ctx =>
        {
            SpaceLifecycle.RequireOwner(ctx, caller, spaceId);
            var entries = await FeedWriter.ReadAsync(ctx.Connection, ctx.Transaction, Id, afterSequence, limit).ConfigureAwait(true);
            var shown = entries.Where(e => !GuardianView.Hides(caller, e.PayloadJson))
                .Select(e => new FeedItem(e.Id, e.Sequence, e.Kind, e.PayloadJson, e.At)).ToList();
            return new GuardianFeedPage(shown, entries.Count > 0 ? entries[^1].Sequence : afterSequence);
        });

    // On the guardian's own space.

    /// <summary>Lists the child, after the child's space accepted this guardian. Only the child's grain calls it (as <see cref="Caller.System"/>).</summary>
    public Task<bool> LinkChildAsync(Caller caller, ChildSpace child)
    {
        ArgumentNullException.ThrowIfNull(child);
        return calls.CallAsync(ctx =>
        {
            var state = RequireSystem(ctx, caller);
            var children = state.Children ??= [];
            if (children.Exists(c => c.SpaceId == child.SpaceId))
            {
                return Task.FromResult(false);
            }

            children.Add(new ChildLinkState { SpaceId = child.SpaceId, FirstNames = child.FirstNames, BirthName = child.BirthName, BirthDate = child.BirthDate, AttachedAt = child.AttachedAt });
            ctx.Write(state, state.Status.ToString(), SpaceLifecycle.DueAt(state));
            return Task.FromResult(true);
        });
    }

    public Task<bool> UnlinkChildAsync(Caller caller, Guid childSpaceId) =>
        calls.CallAsync(ctx =>
        {
            var state = RequireSystem(ctx, caller);
            if ((state.Children?.RemoveAll(c => c.SpaceId == childSpaceId) ?? 0) == 0)
            {
                return Task.FromResult(false);
            }

            ctx.Write(state, state.Status.ToString(), SpaceLifecycle.DueAt(state));
            return Task.FromResult(true);
        });

    public Task<IReadOnlyList<ChildSpace>> GetChildrenAsync(Caller caller) =>
        calls.CallAsync(ctx =>
        {
            var state = SpaceLifecycle.RequireHolder(ctx, caller, spaceId);
            IReadOnlyList<ChildSpace> children = (state.Children ?? [])
                .Select(c => new ChildSpace(c.SpaceId, c.FirstNames, c.BirthName, c.BirthDate, Majority.On(c.BirthDate), !Majority.IsMinor(c.BirthDate, ctx.Now), c.AttachedAt))
                .ToList();
            return Task.FromResult(children);
        });

    private static PatientSpaceState RequireSystem(GrainContext<PatientSpaceState> ctx, Caller caller) =>
        caller.Kind == CallerKind.System && ctx.State is { } state ? state : throw new DomainException(DomainError.NotFound);

    private ChildSpace Child(PatientSpaceState state, DateTimeOffset attachedAt, DateTimeOffset now) =>
        new(spaceId, state.FirstNames, state.BirthName, state.BirthDate, Majority.On(state.BirthDate), !Majority.IsMinor(state.BirthDate, now), attachedAt);

    private static string Payload(params (string Key, string Value)[] fields) =>
        JsonSerializer.Serialize(fields.ToDictionary(f => f.Key, f => f.Value), GrainJsonContext.Default.DictionaryStringString);
}
