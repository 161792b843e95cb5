using System.Security.Claims;
using MonEspaceSante.Identity;

namespace MonEspaceSante.Api.Security;

public static class CallerExtensions
{
    /// <summary>The grain-level caller for an authenticated principal.</summary>
    public static Caller ToCaller(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.IsInRole(Roles.Patient) && Guid.TryParse(user.FindFirstValue(Roles.SpaceIdClaim), out var spaceId))
        {
            return user.ActsAsGuardian() ? Caller.Guardian(spaceId) : Caller.Patient(spaceId);
        }

        // Before the client check: software acting for a professional is that professional, via the software.
        if (user.Rpps() is { } rpps)
        {
            var via = user.FindFirstValue(Roles.ViaClaim);
            return Caller.Professional(rpps, via, via is null ? null : user.FindFirstValue(Roles.FinessClaim));
        }

        if (user.IsInRole(Roles.Client))
        {
            return Caller.Client(user.Identity!.Name!);
        }

        return user.IsInRole(Roles.Operator) ? Caller.Operator(user.Identity!.Name!) : Caller.Anonymous;
    }

    /// <summary>The space a patient's request is about: their own, or the child's they act on as guardian (<see cref="BearerAuthenticationHandler.ChildSpaceHeader"/>).</summary>
    public static Guid SpaceId(this ClaimsPrincipal user) =>
        user.FindFirstValue(Roles.ChildSpaceClaim) is { } child ? Guid.Parse(child) : user.OwnSpaceId();

    /// <summary>The signed-in patient's own space, whatever child's space the request is about.</summary>
    public static Guid OwnSpaceId(this ClaimsPrincipal user) =>
        Guid.Parse(user.FindFirstValue(Roles.SpaceIdClaim) ?? throw new InvalidOperationException("Not a patient."));

    /// <summary>Whether the request acts on a child's space as its guardian.</summary>
    public static bool ActsAsGuardian(this ClaimsPrincipal user) => user.HasClaim(c => c.Type == Roles.ChildSpaceClaim);

    /// <summary>The professional's RPPS, for a professional's token or software acting for one; null otherwise.</summary>
    public static Rpps? Rpps(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsInRole(Roles.Professional) && Identity.Rpps.TryParse(user.FindFirstValue(Roles.RppsClaim), out var rpps) ? rpps : null;
    }
}
