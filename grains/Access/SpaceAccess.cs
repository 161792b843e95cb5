using System.Text;
using Dapper;
using MonEspaceSante.Documents;
using MonEspaceSante.Errors;
using MonEspaceSante.HealthProfiles;
using MonEspaceSante.Identity;
using MonEspaceSante.Pdf;
using MonEspaceSante.Professionals;
using MonEspaceSante.Runtime;
using MonEspaceSante.Spaces;

namespace MonEspaceSante.Access;

/// <summary>
/// The access side of a patient space, run by the space's grain (<see cref="Spaces.PatientSpaceGrain"/>)
/// on its state, so the patient's decisions and the professionals' accesses are ordered with
/// everything else the space does.
/// Rules and defaults: docs/access.md.
/// </summary>
public sealed class SpaceAccess(Guid spaceId, AccessServices services, IGrainCaller<PatientSpaceState> calls)
{
    private const int MaxReasonLength = 1000;
    private const int MinReasonLength = 10;
    private const int MaxExportEntries = 20_000;

    private string Id => spaceId.ToString();

    public Task<AccessSettings> GetSettingsAsync(Caller caller) =>
        CallAsync(ctx => Task.FromResult(Settings(SpaceLifecycle.RequireOwner(ctx, caller, spaceId), ctx.Now)));

    public Task<AccessSettings> SetProfessionalAsync(Caller caller, string rpps, GrantRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var number = ParseRpps(rpps);
        if (!Enum.IsDefined(request.Status))
        {
            throw new DomainException(DomainError.InvalidRequest, "status must be Authorised or Blocked.");
        }

        if (request.Status == GrantStatus.Blocked && (request.Categories is not null || request.Days is not null))
        {
            throw new DomainException(DomainError.InvalidRequest, "A block has no categories and no duration.");
        }

        if (request.Categories is { } categories && (categories.Count == 0 || categories.Any(c => !Enum.IsDefined(c))))
        {
            throw new DomainException(DomainError.InvalidRequest, "categories, when given, must be a non-empty list of document categories.");
        }

        CheckDays(request.Days, allowZero: true);
        return ChangeAsync(caller, async (ctx, state) =>
        {
            var professional = await FindProfessionalAsync(ctx, number);
            var grants = state.Grants ??= [];
            var grant = grants.Find(g => g.Rpps == number);
            if (grant is null)
            {
                if (grants.Count >= services.Options.MaxGrants)
                {
                    throw new DomainException(DomainError.InvalidRequest, $"At most {services.Options.MaxGrants} professionals can be listed; revoke some first.");
                }

                grant = new GrantState { Rpps = number };
                grants.Add(grant);
            }

            grant.Status = request.Status;
            grant.Categories = request.Categories?.Distinct().Order().ToList();
            grant.DecidedAt = ctx.Now;
            var days = request.Days ?? services.Options.RuleFor(professional.ProfessionCode).GrantDays;
            grant.ExpiresAt = request.Status == GrantStatus.Authorised && days > 0 ? ctx.Now.AddDays(days) : null;
            grant.Name = professional.DisplayName;
            grant.ProfessionCode = professional.ProfessionCode;
            grant.Profession = professional.Profession;
            if (request.Status == GrantStatus.Blocked)
            {
                // A block beats everything: the treating-doctor designation and any break-glass in force end now.
                if (state.TreatingDoctor == number)
                {
                    state.TreatingDoctor = null;
                }

                state.Emergencies?.RemoveAll(e => e.Rpps == number);
            }
        });
    }

    public Task<AccessSettings> RevokeAsync(Caller caller, string rpps)
    {
        var number = ParseRpps(rpps);
        return ChangeAsync(caller, (ctx, state) =>
        {
            var removed = (state.Grants?.RemoveAll(g => g.Rpps == number) ?? 0)
                + (state.Emergencies?.RemoveAll(e => e.Rpps == number) ?? 0);
            if (state.TreatingDoctor == number)
            {
                state.TreatingDoctor = null;
                removed++;
            }

            return removed == 0 ? throw new DomainException(DomainError.NotFound, "This professional has no authorisation, block or access to revoke.") : Task.CompletedTask;
        });
    }

    public Task<AccessSettings> ExtendAsync(Caller caller, string rpps, int days)
    {
        var number = ParseRpps(rpps);
        CheckDays(days, allowZero: false);
        return ChangeAsync(caller, (ctx, state) =>
        {
            var grant = state.Grants?.Find(g => g.Rpps == number && g.Status == GrantStatus.Authorised)
                ?? throw new DomainException(DomainError.NotFound, "This professional has no authorisation to extend.");
            if (grant.ExpiresAt is not { } expiresAt)
            {
                throw new DomainException(DomainError.InvalidState, "This authorisation has no end date.");
            }

            var extended = (expiresAt > ctx.Now ? expiresAt : ctx.Now).AddDays(days);
            var limit = ctx.Now.AddDays(services.Options.MaxGrantDays);
            grant.ExpiresAt = extended < limit ? extended : limit;
            grant.DecidedAt = ctx.Now;
            return Task.CompletedTask;
        });
    }

    public Task<AccessSettings> SetTreatingDoctorAsync(Caller caller, string? rpps)
    {
        var number = rpps is null ? null : ParseRpps(rpps);
        return ChangeAsync(caller, async (ctx, state) =>
        {
            if (number is null)
            {
                state.TreatingDoctor = null;
                return;
            }

            var professional = await FindProfessionalAsync(ctx, number);
            if (professional.ProfessionCode != "10")
            {
                throw new DomainException(DomainError.InvalidRequest, "The treating doctor must be a physician.");
            }

            if (state.Grants?.Find(g => g.Rpps == number) is { Status: GrantStatus.Blocked })
            {
                throw new DomainException(DomainError.InvalidState, "This professional is blocked; unblock them first.");
            }

            state.TreatingDoctor = number;
        });
    }

    public Task<AccessSettings> SetEmergencyOptOutAsync(Caller caller, bool optOut) =>
        ChangeAsync(caller, (ctx, state) =>
        {
            state.EmergencyOptOut = optOut;
            if (optOut)
            {
                state.Emergencies = null;
            }

            return Task.CompletedTask;
        });

    public Task<PatientMatch> FindAsync(Caller caller, PatientSearch search)
    {
        ArgumentNullException.ThrowIfNull(search);
        return CallAsync(async ctx =>
        {
            var attempt = await services.Gate.EvaluateAsync(ctx, caller);
            var mismatch = ctx.State is { Status: SpaceStatus.Active } state && !IdentityTraits.Match(state, search);
            if (!await services.Gate.RecordAsync(ctx, attempt, AccessAction.FindPatient, denial: mismatch ? DenialReason.IdentityMismatch : DenialReason.None, lookup: true))
            {
                return null!;
            }

            return Match(ctx.State!, attempt.Decision.Rights!);
        });
    }

    public Task<PatientMatch> OpenEmergencyAccessAsync(Caller caller, PatientSearch search, string reason)
    {
        ArgumentNullException.ThrowIfNull(search);
        var why = reason?.Trim();
        if (why is null || why.Length < MinReasonLength || why.Length > MaxReasonLength || why.Any(c => char.IsControl(c) && c != '\n'))
        {
            throw new DomainException(DomainError.InvalidRequest, $"Emergency access needs a written reason of {MinReasonLength} to {MaxReasonLength} characters.");
        }

        return CallAsync(async ctx =>
        {
            var attempt = await services.Gate.EvaluateAsync(ctx, caller);
            var state = ctx.State;
            var denial = AccessRules.CanOpenEmergency(state, attempt.Professional);
            if (denial != DenialReason.NoSpace && !IdentityTraits.Match(state!, search))
            {
                denial = DenialReason.IdentityMismatch;
            }

            if (denial == DenialReason.None)
            {
                // The guard counts break-glass like any first opening of a space; an allowed
                // decision has been through it already.
                denial = attempt.Decision.Denial == DenialReason.TooManyPatients
                    || (!attempt.Decision.Allowed && !await services.Gate.AdmitAsync(ctx, caller))
                    ? DenialReason.TooManyPatients
                    : DenialReason.None;
            }

            if (denial != DenialReason.None)
            {
                await services.Gate.RecordAsync(ctx, attempt, AccessAction.EmergencyAccess, reason: why, denial: denial, lookup: true);
                return null!;
            }

            var until = ctx.Now + services.Options.EmergencyDuration;
            var emergencies = state!.Emergencies ??= [];
            emergencies.RemoveAll(e => e.Rpps == caller.Id || e.Until <= ctx.Now);
            emergencies.Add(new EmergencyState { Rpps = caller.Id, Name = attempt.Professional!.DisplayName, OpenedAt = ctx.Now, Until = until, Reason = why });
            ctx.Write(state, state.Status.ToString(), SpaceLifecycle.DueAt(state));
            var opened = AccessRules.Decide(state, attempt.Professional, ctx.Now, services.Options);
            await services.Gate.RecordAsync(ctx, attempt with { Decision = opened }, AccessAction.EmergencyAccess, reason: why);
            return Match(state, opened.Rights!);
        });
    }

    public Task<PatientProfile> GetProfileAsync(Caller caller) =>
        CallAsync(async ctx =>
        {
            var attempt = await services.Gate.EvaluateAsync(ctx, caller);
            if (!await services.Gate.RecordAsync(ctx, attempt, AccessAction.ReadProfile))
            {
                return null!;
            }

            var state = ctx.State!;
            var doctor = state.TreatingDoctor is { } rpps ? await ProfessionalLookup.FindAsync(ctx.Connection, ctx.Transaction, rpps) : null;
            return new PatientProfile(spaceId, state.Nir, state.BirthName, state.FirstNames, state.BirthDate, state.Sex, state.TreatingDoctor, doctor?.DisplayName, attempt.Decision.Rights!);
        });

    /// <summary>
    /// The health profile grain asks here first (docs/access.md). A professional is decided by
    /// the same rules as a document read (a block beats everything; the treating doctor, an
    /// authorisation in force or a break-glass in force open it; categories do not narrow it),
    /// and the access, allowed or refused, is written to the history and notified in this
    /// grain's transaction. Anyone else must act as the space's holder: reading an active or
    /// closed (archived) space, changing an active one only.
    /// </summary>
    public Task<HealthProfileAccess> OpenHealthProfileAsync(Caller caller, HealthProfileAction action)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!Enum.IsDefined(action))
        {
            throw new DomainException(DomainError.InvalidRequest, "Unknown health profile action.");
        }

        if (caller.Kind is not (CallerKind.Professional or CallerKind.Client))
        {
            return CallAsync(ctx =>
            {
                var state = SpaceLifecycle.RequireOwner(ctx, caller, spaceId);
                var reading = action is HealthProfileAction.Read or HealthProfileAction.Download;
                if (state.Status == SpaceStatus.Closed && !reading)
                {
                    throw new DomainException(DomainError.SpaceClosed);
                }

                if (state.Status is not (SpaceStatus.Active or SpaceStatus.Closed))
                {
                    throw new DomainException(DomainError.NotFound);
                }

                return Task.FromResult(new HealthProfileAccess(HealthEntryAuthor.Patient, Holder: true, Emergency: false, $"{state.FirstNames} {state.BirthName}", state.BirthDate));
            });
        }

        return CallAsync(async ctx =>
        {
            var attempt = await services.Gate.EvaluateAsync(ctx, caller);
            var recorded = action switch
            {
                HealthProfileAction.Read => AccessAction.ReadHealthProfile,
                HealthProfileAction.Download => AccessAction.DownloadHealthProfile,
                HealthProfileAction.Add => AccessAction.AddHealthProfileEntry,
                _ => AccessAction.ChangeHealthProfileEntry,
            };
            if (!await services.Gate.RecordAsync(ctx, attempt, recorded))
            {
                return null!;
            }

            var state = ctx.State!;
            var professional = attempt.Professional!;
            var author = new HealthEntryAuthor(HealthAuthorKind.Professional, professional.Rpps, professional.DisplayName, professional.Profession, caller.Via);
            return new HealthProfileAccess(author, Holder: false, attempt.Decision.Rights!.Emergency, $"{state.FirstNames} {state.BirthName}", state.BirthDate);
        });
    }

    public Task<AccessHistoryPage> GetHistoryAsync(Caller caller, AccessHistoryFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.Offset < 0 || filter.Limit is < 1 or > 200 || filter.From > filter.To || (filter.Outcome is { } o && !Enum.IsDefined(o)) || (filter.Action is { } a && !Enum.IsDefined(a)))
        {
            throw new DomainException(DomainError.InvalidRequest, "offset must be >= 0, limit between 1 and 200, and from not after to.");
        }

        return ReadOwnAsync(caller, async ctx =>
        {
            var where = new StringBuilder("space_id = @spaceId");
            var parameters = new DynamicParameters(new { spaceId = Id, limit = filter.Limit, offset = filter.Offset });
            if (filter.From is { } from)
            {
                where.Append(" and at_ms >= @from");
                parameters.Add("from", from.ToUnixTimeMilliseconds());
            }

            if (filter.To is { } to)
            {
                where.Append(" and at_ms <= @to");
                parameters.Add("to", to.ToUnixTimeMilliseconds());
            }

            if (filter.Rpps is { } rpps)
            {
                where.Append(" and rpps = @rpps");
                parameters.Add("rpps", Rpps.TryParse(rpps, out var parsed) ? parsed.Value : rpps);
            }

            if (filter.Outcome is { } outcome)
            {
                where.Append(" and outcome = @outcome");
                parameters.Add("outcome", outcome.ToString());
            }

            if (filter.Action is { } action)
            {
                where.Append(" and action = @action");
                parameters.Add("action", action.ToString());
            }

            if (filter.Emergency is { } emergency)
            {
                where.Append(" and emergency = @emergency");
                parameters.Add("emergency", emergency ? 1 : 0);
            }

            where.Append(GuardianView.HistoryCondition(caller));

            var total = await ctx.Connection.ExecuteScalarAsync<long>($"select count(*) from access_history where {where}", parameters, ctx.Transaction);
            var rows = await ctx.Connection.QueryAsync<HistoryRow>(
                $"select {AccessHistory.Columns} from access_history where {where} order by seq desc limit @limit offset @offset", parameters, ctx.Transaction);
            return new AccessHistoryPage(rows.Select(r => r.ToEntry()).ToList(), filter.Offset, filter.Limit, total);
        });
    }

    public Task<HistoryVerification> VerifyHistoryAsync(Caller caller) =>
        ReadOwnAsync(caller, ctx => VerifyForAsync(ctx, caller));

    public async Task<byte[]> ExportHistoryPdfAsync(Caller caller)
    {
        var report = await ReadOwnAsync(caller, async ctx =>
        {
            var verification = await VerifyForAsync(ctx, caller);
            var rows = await ctx.Connection.QueryAsync<HistoryRow>(
                $"select {AccessHistory.Columns} from access_history where space_id = @spaceId{GuardianView.HistoryCondition(caller)} order by seq desc limit @max",
                new { spaceId = Id, max = MaxExportEntries }, ctx.Transaction);
            var state = ctx.State!;
            return new AccessHistoryReport($"{state.FirstNames} {state.BirthName}", state.BirthDate, ctx.Now, verification, rows.Select(r => r.ToEntry()).ToList());
        });
        return LetterRenderer.RenderAccessHistory(report);
    }

    public Task<Messaging.MessagingView> GetMessagingViewAsync(Caller caller, string? senderRpps)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.Kind != CallerKind.System)
        {
            throw new DomainException(DomainError.NotFound);
        }

        var view = calls.Stored is not { } state
            ? new Messaging.MessagingView(null, "", false)
            : new Messaging.MessagingView(
                state.Status,
                $"{state.FirstNames} {state.BirthName}",
                senderRpps is not null && state.Grants?.Find(g => g.Rpps == senderRpps) is { Status: GrantStatus.Blocked });
        return Task.FromResult(view);
    }

    private AccessSettings Settings(PatientSpaceState state, DateTimeOffset now) => new(
        (state.Grants ?? []).Select(g => new ProfessionalGrant(
            g.Rpps, g.Name, g.ProfessionCode, g.Profession, g.Status,
            g.Status == GrantStatus.Blocked ? [] : g.Categories ?? [.. services.Options.RuleFor(g.ProfessionCode).Categories ?? []],
            g.Categories is null && g.Status == GrantStatus.Authorised,
            g.DecidedAt, g.ExpiresAt, g.ExpiresAt is { } end && end <= now)).ToList(),
        state.TreatingDoctor,
        state.EmergencyOptOut,
        (state.Emergencies ?? []).Where(e => e.Until > now).Select(e => new EmergencyAccessInfo(e.Rpps, e.Name, e.OpenedAt, e.Until, e.Reason)).ToList());

    private static PatientMatch Match(PatientSpaceState state, AccessRights rights) =>
        new(state.SpaceId, state.BirthName, state.FirstNames, state.BirthDate, state.Sex, rights);

    private static string ParseRpps(string? rpps) =>
        Rpps.TryParse(rpps, out var parsed) ? parsed.Value : throw new DomainException(DomainError.InvalidRequest, "rpps must be 11 digits with a valid check digit.");

    private void CheckDays(int? days, bool allowZero)
    {
        if (days is { } value && (value < (allowZero ? 0 : 1) || value > services.Options.MaxGrantDays))
        {
            throw new DomainException(DomainError.InvalidRequest, $"days must be between {(allowZero ? 0 : 1)} and {services.Options.MaxGrantDays}.");
        }
    }

    private static async Task<ProfessionalInfo> FindProfessionalAsync(GrainContext<PatientSpaceState> ctx, string rpps) =>
        await ProfessionalLookup.FindAsync(ctx.Connection, ctx.Transaction, rpps)
        ?? throw new DomainException(DomainError.NotFound, "No professional with this RPPS in the directory.");

    /// <summary>A change by the patient to their controls: an active space only (a closed one is read-only).</summary>
    private Task<AccessSettings> ChangeAsync(Caller caller, Func<GrainContext<PatientSpaceState>, PatientSpaceState, Task> change) =>
        CallAsync(async ctx =>
        {
            var state = SpaceLifecycle.RequireOwner(ctx, caller, spaceId);
            if (state.Status == SpaceStatus.Closed)
            {
                throw new DomainException(DomainError.SpaceClosed);
            }

            if (state.Status != SpaceStatus.Active)
            {
                throw new DomainException(DomainError.NotFound);
            }

            await change(ctx, state);
            state.Emergencies?.RemoveAll(e => e.Until <= ctx.Now);
            ctx.Write(state, state.Status.ToString(), SpaceLifecycle.DueAt(state));
            return Settings(state, ctx.Now);
        });

    /// <summary>The chain verified over every entry, reported as this caller may see it (<see cref="GuardianView"/>).</summary>
    private async Task<HistoryVerification> VerifyForAsync(GrainContext<PatientSpaceState> ctx, Caller caller)
    {
        var verification = await AccessHistory.VerifyAsync(ctx.Connection, ctx.Transaction, Id, services.Gate.HistoryKey);
        if (caller.Kind != CallerKind.Guardian)
        {
            return verification;
        }

        var shown = await ctx.Connection.ExecuteScalarAsync<long>(
            $"select count(*) from access_history where space_id = @spaceId{GuardianView.HistoryCondition(caller)}", new { spaceId = Id }, ctx.Transaction);
        return GuardianView.Verification(caller, verification, shown);
    }

    /// <summary>The patient reading their own history: an active or closed (archived) space.</summary>
    private Task<T> ReadOwnAsync<T>(Caller caller, Func<GrainContext<PatientSpaceState>, Task<T>> body) =>
        CallAsync(ctx =>
        {
            var state = SpaceLifecycle.RequireOwner(ctx, caller, spaceId);
            return state.Status is SpaceStatus.Active or SpaceStatus.Closed ? body(ctx) : throw new DomainException(DomainError.NotFound);
        });

    private Task<T> CallAsync<T>(Func<GrainContext<PatientSpaceState>, Task<T>> body) => calls.CallAsync(body);
}
