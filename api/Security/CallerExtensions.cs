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

        if (user.IsInRole(Roles.Client))
        {
            return Caller.Client(user.Identity!.Name!);
        }

        return user.IsInRole(Roles.Operator) ? Caller.Operator(user.Identity!.Name!) : Caller.Anonymous;
    }

    public static Guid SpaceId(this ClaimsPrincipal user) =>
        Guid.Parse(user.FindFirstValue(Roles.SpaceIdClaim) ?? throw new InvalidOperationException("Not a patient."));
}
