using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using MonEspaceSante.Api.OpenApi;

namespace MonEspaceSante.Api.Security;

/// <summary>Who the API takes the caller for: the professional, and the software acting for them if any.</summary>
public sealed record ProfessionalSession(string Rpps, string? Via);

public static class ProfessionalSessionEndpoints
{
    public static IEndpointRouteBuilder MapProfessionalSessionApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/pro/me", (ClaimsPrincipal user) =>
        {
            var caller = user.ToCaller();
            return TypedResults.Ok(new ProfessionalSession(caller.Id, caller.Via));
        }).WithTags("Professional").RequireAuthorization(Roles.Professional).WithName("GetProfessionalSession")
            .WithSummary("Tell who the API takes me for: my RPPS, and the software acting for me if any").WithoutStorage();
        return routes;
    }
}
