using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using MonEspaceSante.Api.Problems;
using MonEspaceSante.Errors;

namespace MonEspaceSante.Api.Security;

/// <summary>
/// Software that reaches a professional's route without naming the professional it acts for is
/// told so (<c>acting-for-required</c>), as docs/access.md promises, instead of a bare 403. Every
/// other outcome is the framework's; its empty 401/403 get their problem body from
/// <see cref="ErrorResponses"/>.
/// </summary>
public sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler framework = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (authorizeResult.Forbidden
            && context.User.IsInRole(Roles.Client)
            && !context.User.IsInRole(Roles.Professional)
            && policy.Requirements.OfType<RolesAuthorizationRequirement>().Any(r => r.AllowedRoles.Contains(Roles.Professional)))
        {
            throw new DomainException(DomainError.ActingForRequired);
        }

        await framework.HandleAsync(next, context, policy, authorizeResult).ConfigureAwait(false);
    }
}
