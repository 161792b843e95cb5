using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MonEspaceSante.Api.OpenApi;
using MonEspaceSante.Identity;
using MonEspaceSante.Errors;

namespace MonEspaceSante.Api.Security;

/// <summary>What the test issuer is asked for: a professional, and optionally a lifetime (seconds) and another audience.</summary>
public sealed record TestTokenRequest(string? Rpps, int? LifetimeSeconds, string? Audience);

public static class TestIssuerEndpoints
{
    /// <summary>
    /// <c>POST /dev/test-issuer/token</c>, mapped only when the test issuer is enabled: a disabled
    /// issuer leaves no route behind, so it answers 404 like any unknown address.
    /// </summary>
    public static IEndpointRouteBuilder MapTestIssuerApi(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        if (!routes.ServiceProvider.GetRequiredService<IOptions<TestIssuerOptions>>().Value.Enabled)
        {
            return routes;
        }

        routes.MapPost("/dev/test-issuer/token", Results<Ok<TestIssuerToken>, ProblemHttpResult> (TestTokenRequest request, TestIssuer issuer, HttpResponse response) =>
        {
            if (!Rpps.TryParse(request.Rpps, out var rpps))
            {
                throw new DomainException(DomainError.InvalidRequest, "rpps must be an RPPS (11 digits, the last a valid Luhn check digit) or a national id (8 followed by the RPPS).");
            }

            if (request.LifetimeSeconds is < 1 or > 3600)
            {
                throw new DomainException(DomainError.InvalidRequest, "lifetimeSeconds must be between 1 and 3600.");
            }

            var lifetime = request.LifetimeSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
            response.Headers.CacheControl = "no-store";
            return TypedResults.Ok(issuer.Issue(rpps, lifetime, string.IsNullOrWhiteSpace(request.Audience) ? null : request.Audience));
        }).WithTags("Development").AllowAnonymous().WithName("IssueTestToken")
            .WithSummary("Issue a professional's access token from the test issuer (development only)").ProducesProblems(400);
        return routes;
    }
}
