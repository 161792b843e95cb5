using MonEspaceSante.Documents;
using MonEspaceSante.Identity;
using MonEspaceSante.Professionals;
using MonEspaceSante.Spaces;

namespace MonEspaceSante.Access;

/// <summary>Why a professional was refused; written to the history, never told to the professional.</summary>
public enum DenialReason
{
    None,
    NoSpace,
    UnknownProfessional,
    Blocked,
    NoGrant,
    GrantExpired,
    EmergencyOptOut,
    IdentityMismatch,
    NotVisible,
    TooManyPatients,
    SpaceClosed,
    NotOfFacility,
}

public sealed record AccessDecision(AccessRights? Rights, DenialReason Denial)
{
    public bool Allowed => Rights is not null;

    public static AccessDecision Deny(DenialReason reason) => new(null, reason);
}

/// <summary>
/// The patient's rules, applied to one professional at one instant. Pure: the state and the
/// directory entry are read in the caller's transaction, so a revocation committed before a
/// request is seen by it, on any silo. Order matters: a block beats everything, emergency
/// included; the treating doctor sees masked documents; break-glass never does.
/// </summary>
public static class AccessRules
{
    private static readonly DocumentCategory[] All = Enum.GetValues<DocumentCategory>();

    public static AccessDecision Decide(PatientSpaceState? state, ProfessionalInfo? professional, DateTimeOffset now, AccessOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // A space that is not active is not there for professionals: waiting, opposed and purged
        // spaces have no one's consent yet, and a closed space is the patient's own archive.
        if (state is { Status: SpaceStatus.Closed } && professional is not null && WasAuthorised(state, professional.Rpps, now))
        {
            // Someone the patient trusted is told the space is closed (so their software stops
            // sending); anyone else learns nothing.
            return AccessDecision.Deny(DenialReason.SpaceClosed);
        }

        if (state is not { Status: SpaceStatus.Active })
        {
            return AccessDecision.Deny(DenialReason.NoSpace);
        }

        if (professional is null)
        {
            return AccessDecision.Deny(DenialReason.UnknownProfessional);
        }

        var grant = state.Grants?.Find(g => g.Rpps == professional.Rpps);
        if (grant is { Status: GrantStatus.Blocked })
        {
            return AccessDecision.Deny(DenialReason.Blocked);
        }

        if (state.TreatingDoctor == professional.Rpps)
        {
            return new AccessDecision(new AccessRights(All, SeesMasked: true, TreatingDoctor: true, Emergency: false, Until: null), DenialReason.None);
        }

        if (!state.EmergencyOptOut && state.Emergencies?.Find(e => e.Rpps == professional.Rpps && e.Until > now) is { } emergency)
        {
            // Break-glass sees every category but never masked documents (docs/access.md), and
            // widens a narrower authorisation while it lasts.
            return new AccessDecision(new AccessRights(All, SeesMasked: false, TreatingDoctor: false, Emergency: true, emergency.Until), DenialReason.None);
        }

        if (grant is { Status: GrantStatus.Authorised } && (grant.ExpiresAt is null || grant.ExpiresAt > now))
        {
            var categories = grant.Categories ?? [.. options.RuleFor(professional.ProfessionCode).Categories ?? []];
            return new AccessDecision(new AccessRights(categories, SeesMasked: false, TreatingDoctor: false, Emergency: false, grant.ExpiresAt), DenialReason.None);
        }

        return AccessDecision.Deny(grant is { Status: GrantStatus.Authorised } ? DenialReason.GrantExpired : DenialReason.NoGrant);
    }

    /// <summary>
    /// Adding a document: the rights of <see cref="Decide"/>, and one more case. A space still
    /// waiting for activation has had no chance to authorise anyone, yet care goes on: any known
    /// professional may feed it, so the documents are there when the person arrives, and the
    /// history shows them who did (docs/access.md).
    /// </summary>
    public static AccessDecision DecideUpload(PatientSpaceState? state, ProfessionalInfo? professional, DateTimeOffset now, AccessOptions options)
    {
        if (state is { Status: SpaceStatus.Created } && professional is not null)
        {
            return new AccessDecision(new AccessRights([], SeesMasked: false, TreatingDoctor: false, Emergency: false, Until: null), DenialReason.None);
        }

        return Decide(state, professional, now, options);
    }

    /// <summary>
    /// Whether the software a professional acts through may vouch for them: only for a
    /// professional of the software's own facility (as the DMP's indirect authentication
    /// requires), so that a facility's key cannot become any professional in the country.
    /// </summary>
    public static bool Vouched(Caller caller, ProfessionalInfo? professional)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.Via is null || (professional is not null && caller.ViaFacility is { Length: > 0 } finess && professional.FacilityFiness == finess);
    }

    /// <summary>The treating doctor, or a professional whose authorisation is still in force.</summary>
    private static bool WasAuthorised(PatientSpaceState state, string rpps, DateTimeOffset now) =>
        state.TreatingDoctor == rpps || state.Grants?.Find(g => g.Rpps == rpps) is { Status: GrantStatus.Authorised } grant && (grant.ExpiresAt is null || grant.ExpiresAt > now);

    /// <summary>Whether break-glass may be opened: an active space, a known professional, not blocked, not opted out.</summary>
    public static DenialReason CanOpenEmergency(PatientSpaceState? state, ProfessionalInfo? professional)
    {
        if (state is not { Status: SpaceStatus.Active })
        {
            return DenialReason.NoSpace;
        }

        if (professional is null)
        {
            return DenialReason.UnknownProfessional;
        }

        if (state.Grants?.Find(g => g.Rpps == professional.Rpps) is { Status: GrantStatus.Blocked })
        {
            return DenialReason.Blocked;
        }

        return state.EmergencyOptOut ? DenialReason.EmergencyOptOut : DenialReason.None;
    }
}
