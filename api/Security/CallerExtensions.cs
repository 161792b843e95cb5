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
            return Caller.Patient(spaceId);
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

    public static Guid SpaceId(this ClaimsPrincipal user) =>
        Guid.Parse(user.FindFirstValue(Roles.SpaceIdClaim) ?? throw new InvalidOperationException("Not a patient."));

    /// <summary>The professional's RPPS, for a professional's token or software acting for one; null otherwise.</summary>
    public static Rpps? Rpps(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsInRole(Roles.Professional) && Identity.Rpps.TryParse(user.FindFirstValue(Roles.RppsClaim), out var rpps) ? rpps : null;
    }
}
