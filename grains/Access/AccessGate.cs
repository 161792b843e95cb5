using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using MonEspaceSante.Errors;
using MonEspaceSante.Identity;
using MonEspaceSante.Professionals;
using MonEspaceSante.Runtime;
using MonEspaceSante.Security;
using MonEspaceSante.Spaces;

namespace MonEspaceSante.Access;

/// <summary>What the gate decided for one professional call, and who the professional is.</summary>
public sealed record AccessAttempt(Caller Caller, ProfessionalInfo? Professional, AccessDecision Decision);

/// <summary>
/// Every professional call on a space passes here, inside the call's transaction: decide from
/// the state as read, apply the mass-access guard, then write the history entry and the
/// patient's notification with the final outcome. A refusal is committed (it must be kept)
/// and then reported as not-found, the same answer as for a space that does not exist.
/// </summary>
public sealed class AccessGate(IOptions<AccessOptions> options, MassAccessGuard guard, KeyRing keys, ProfessionalCache professionals)
{
    public const string AllowedKind = "access.professional";
    public const string EmergencyKind = "access.emergency";
    public const string DeniedKind = "access.denied";

    public AccessOptions Options => options.Value;

    /// <summary>The professionals directory, as this silo keeps it.</summary>
    public ProfessionalCache Professionals => professionals;

    /// <summary>The history chain's key.</summary>
    public byte[] HistoryKey => keys.HistoryKey;

    public async Task<AccessAttempt> EvaluateAsync(GrainContext<PatientSpaceState> ctx, Caller caller, bool upload = false)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.Kind != CallerKind.Professional)
        {
            throw new DomainException(caller.Kind == CallerKind.Client ? DomainError.ActingForRequired : DomainError.NotFound);
        }

        var professional = await professionals.FindAsync(ctx.Connection, ctx.Transaction, caller.Id);
        if (!AccessRules.Vouched(caller, professional))
        {
            return new AccessAttempt(caller, professional, ctx.State is { Status: SpaceStatus.Active } ? AccessDecision.Deny(DenialReason.NotOfFacility) : AccessDecision.Deny(DenialReason.NoSpace));
        }

        var decision = upload
            ? AccessRules.DecideUpload(ctx.State, professional, ctx.Now, options.Value)
            : AccessRules.Decide(ctx.State, professional, ctx.Now, options.Value);
        // Sending a document reveals nothing of the record, and a lab or hospital sends for
        // thousands of patients an hour: only reading opens a space for the guard.
        if (decision.Allowed && !upload && !await guard.AdmitAsync(ctx.Connection, ctx.Transaction, caller, ctx.GrainId, ctx.Now))
        {
            decision = AccessDecision.Deny(DenialReason.TooManyPatients);
        }

        return new AccessAttempt(caller, professional, decision);
    }

    /// <summary>The mass-access guard alone, for a call that opens access itself (break-glass).</summary>
    public Task<bool> AdmitAsync(GrainContext<PatientSpaceState> ctx, Caller caller)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        return guard.AdmitAsync(ctx.Connection, ctx.Transaction, caller, ctx.GrainId, ctx.Now);
    }

    /// <summary>
    /// Writes the entry. <paramref name="denial"/> overrides an allowed decision (the document
    /// asked for is not one the professional may see); <paramref name="hiddenFromGuardians"/> says
    /// the target is a document hidden from the minor's guardians (<see cref="GuardianView"/>);
    /// <paramref name="lookup"/> says the caller named the patient by INS, so a refusal counts
    /// for the mass-access guard (docs/access.md). Returns false when the call is refused; the
    /// refusal is then raised after commit.
    /// </summary>
    public async Task<bool> RecordAsync(
        GrainContext<PatientSpaceState> ctx,
        AccessAttempt attempt,
        AccessAction action,
        string? target = null,
        string? reason = null,
        DenialReason denial = DenialReason.None,
        bool hiddenFromGuardians = false,
        bool lookup = false)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(attempt);
        var refused = denial != DenialReason.None ? denial : attempt.Decision.Denial;
        var absent = refused is DenialReason.NoSpace or DenialReason.SpaceClosed;
        // A refused look-up by INS opens a space for the guard as an allowed one does, whatever
        // the reason (no space, closed, no right, traits that do not match): otherwise guessing
        // NIRs would be free, and the guard's 429 would tell a known space from an unknown one.
        // For no space, the key is the unknown patient's (UnknownPatient), one per NIR, so asking
        // again about the same person is not a new space, as for a known one.
        var overLimit = lookup && refused is not (DenialReason.None or DenialReason.TooManyPatients)
            && !await guard.AdmitAsync(ctx.Connection, ctx.Transaction, attempt.Caller, ctx.GrainId, ctx.Now);
        if (absent)
        {
            // No space, or one not open to professionals: nothing to record, nobody to tell, and
            // the same answer either way, so a professional learns nothing of a closed space.
            if (lookup)
            {
                await MirrorRefusalAsync(ctx, attempt.Caller);
            }

            ctx.FailAfterCommit(overLimit ? DomainError.TooManyPatients : DomainError.NotFound, overLimit ? HourlyLimit.UntilNextHour(ctx.Now) : null);
            return false;
        }

        if (overLimit)
        {
            refused = DenialReason.TooManyPatients;
        }

        var allowed = refused == DenialReason.None;
        // Whatever happens under an emergency access is marked so, refusals included (a masked
        // document asked for), so the patient's emergency filter shows all of it.
        var emergency = action == AccessAction.EmergencyAccess || attempt.Decision.Rights is { Emergency: true };
        var professional = attempt.Professional;
        var heads = ctx.Memory.Get<HistoryHeadMemory>();
        var row = await AccessHistory.AppendAsync(ctx.Connection, ctx.Transaction, new HistoryRow
        {
            SpaceId = ctx.GrainId,
            EntryId = Guid.NewGuid().ToString(),
            AtMs = ctx.Now.ToUnixTimeMilliseconds(),
            Rpps = attempt.Caller.Id,
            ActorName = professional?.DisplayName,
            Profession = professional?.Profession,
            Facility = professional?.FacilityName,
            Via = attempt.Caller.Via,
            Action = action.ToString(),
            Target = target,
            Emergency = emergency ? 1 : 0,
            Reason = allowed ? reason : Describe(refused),
            Outcome = (allowed ? AccessOutcome.Allowed : AccessOutcome.Denied).ToString(),
        }, keys.HistoryKey, heads.For(ctx));
        var head = new HistoryHead(row.Seq, row.Hash);
        heads.Appended(ctx, head);
        ctx.OnCommitted(() => heads.Committed(head));

        // What the patient is told: who, what kind of access, the outcome. Never a document's content.
        // Refusals are grouped: one notification per professional per window, the rest are in
        // the history only, so a misconfigured system retrying all night cannot flood the patient.
        if (allowed || !await DeniedRecentlyAsync(ctx, row))
        {
            var payload = new Dictionary<string, string>
            {
                ["entryId"] = row.EntryId,
                ["rpps"] = row.Rpps,
                ["name"] = row.ActorName ?? "",
                ["action"] = row.Action,
                ["outcome"] = row.Outcome,
                ["emergency"] = emergency ? "true" : "false",
            };
            if (hiddenFromGuardians)
            {
                // About a document the minor's guardians must not learn of: left out of what they read.
                payload[GuardianView.HiddenMarker] = "true";
            }

            ctx.Notify(ctx.GrainId, !allowed ? DeniedKind : emergency ? EmergencyKind : AllowedKind, JsonSerializer.Serialize(payload, GrainJsonContext.Default.DictionaryStringString));
        }

        if (!allowed)
        {
            if (refused == DenialReason.TooManyPatients)
            {
                ctx.FailAfterCommit(DomainError.TooManyPatients, HourlyLimit.UntilNextHour(ctx.Now));
            }
            else
            {
                ctx.FailAfterCommit(DomainError.NotFound);
            }
        }

        return allowed;
    }

    /// <summary>
    /// Keeps a look-up that finds no space as long as one that finds a space and refuses: a
    /// recorded refusal moves the history's head, checks for a recent refusal and appends the
    /// patient's notification, three statements after the guard's; here the same three tables
    /// are read under the same key instead, so both answers take the same number of round
    /// trips and a write transaction (the guard's row) of the same size class, and nothing is
    /// written. A cold known space also reads its state once per activation, a fraction of a
    /// millisecond that the grain call's own variance (local or remote silo) covers.
    /// </summary>
    private async Task MirrorRefusalAsync(GrainContext<PatientSpaceState> ctx, Caller caller)
    {
        var args = new { space = ctx.GrainId, rpps = caller.Id, since = (ctx.Now - Options.DeniedGrouping).ToUnixTimeMilliseconds(), denied = nameof(AccessOutcome.Denied) };
        await ctx.Connection.ExecuteScalarAsync<long?>("select seq from access_history_heads where space_id = @space", args, ctx.Transaction);
        await ctx.Connection.ExecuteScalarAsync<int>(
            "select count(*) from (select 1 from access_history where space_id = @space and at_ms >= @since and rpps = @rpps and outcome = @denied limit 1) recent",
            args, ctx.Transaction);
        await ctx.Connection.ExecuteScalarAsync<long?>("select last_seq from feed_heads where recipient_id = @space", args, ctx.Transaction);
    }

    /// <summary>Whether this professional was already refused on this space within <see cref="AccessOptions.DeniedGrouping"/> (and so notified).</summary>
    private async Task<bool> DeniedRecentlyAsync(GrainContext<PatientSpaceState> ctx, HistoryRow row) =>
        await ctx.Connection.ExecuteScalarAsync<int>(
            "select count(*) from (select 1 from access_history where space_id = @space and at_ms >= @since and rpps = @rpps and outcome = @denied and entry_id <> @entry limit 1) recent",
            new { space = ctx.GrainId, since = (ctx.Now - Options.DeniedGrouping).ToUnixTimeMilliseconds(), rpps = row.Rpps, denied = nameof(AccessOutcome.Denied), entry = row.EntryId },
            ctx.Transaction) > 0;

    /// <summary>The patient-facing reason of a refusal, as kept in the history.</summary>
    public static string Describe(DenialReason reason) => reason switch
    {
        DenialReason.UnknownProfessional => "Not in the professionals directory",
        DenialReason.Blocked => "Blocked by you",
        DenialReason.NoGrant => "No authorisation",
        DenialReason.GrantExpired => "Authorisation expired",
        DenialReason.EmergencyOptOut => "You opted out of emergency access",
        DenialReason.IdentityMismatch => "Identity details did not match",
        DenialReason.NotVisible => "Document not available to this professional",
        DenialReason.TooManyPatients => "Too many patient records opened in one hour",
        DenialReason.NotOfFacility => "Software not of this professional's facility",
        _ => reason.ToString(),
    };
}
