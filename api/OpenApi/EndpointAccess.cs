using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using MonEspaceSante.Api.Realtime;
using MonEspaceSante.Api.Security;

namespace MonEspaceSante.Api.OpenApi;

/// <summary>
/// Who may call an endpoint, read from the same authorization metadata and policies the
/// middleware enforces, so the document cannot drift from what the API does.
/// </summary>
internal sealed record EndpointAccess(bool Anonymous, bool RoleRestricted, IReadOnlyList<string> Roles, IReadOnlyList<string> Schemes)
{
    private static readonly EndpointAccess Open = new(true, false, [], []);

    public static async Task<EndpointAccess> OfAsync(OpenApiOperationTransformerContext context)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var authorizeData = metadata.OfType<IAuthorizeData>().ToList();
        var policies = metadata.OfType<AuthorizationPolicy>().ToList();
        // No fallback policy is configured: a route without authorization metadata is open.
        if (metadata.OfType<IAllowAnonymous>().Any() || (authorizeData.Count == 0 && policies.Count == 0))
        {
            return Open;
        }

        var provider = context.ApplicationServices.GetRequiredService<IAuthorizationPolicyProvider>();
        var policy = await AuthorizationPolicy.CombineAsync(provider, authorizeData, policies).ConfigureAwait(false);
        if (policy is null)
        {
            return Open;
        }

        // Every role requirement must hold: the roles that pass them all.
        IEnumerable<string>? roles = null;
        foreach (var requirement in policy.Requirements.OfType<RolesAuthorizationRequirement>())
        {
            roles = roles is null ? requirement.AllowedRoles : roles.Intersect(requirement.AllowedRoles, StringComparer.Ordinal);
        }

        var allowed = roles?.Distinct(StringComparer.Ordinal).ToList();
        var bearer = policy.AuthenticationSchemes.Count == 0
            || policy.AuthenticationSchemes.Any(s => s is Security.Roles.Scheme or Security.Roles.OpaqueScheme or Security.Roles.ProfessionalJwtScheme);
        var schemes = new List<string>();
        if (bearer)
        {
            var bearerRoles = allowed ?? [Security.Roles.Patient, Security.Roles.Professional, Security.Roles.Client, Security.Roles.Operator];
            schemes.AddRange(bearerRoles.SelectMany(SecuritySchemes.ForRole));
        }

        if (policy.AuthenticationSchemes.Contains(TicketAuthenticationHandler.SchemeName))
        {
            schemes.Add(SecuritySchemes.RealtimeTicket);
        }

        return new EndpointAccess(false, allowed is not null, allowed ?? [], schemes.Distinct(StringComparer.Ordinal).ToList());
    }
}
