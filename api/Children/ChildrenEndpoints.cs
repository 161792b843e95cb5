using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using MonEspaceSante.Api.Accounts;
using MonEspaceSante.Api.OpenApi;
using MonEspaceSante.Api.Security;
using MonEspaceSante.Errors;
using MonEspaceSante.Identity;
using MonEspaceSante.Spaces;
using Orleans;

namespace MonEspaceSante.Api.Children;

/// <summary>
/// A patient's children's spaces: attach one as its guardian, list them, let one go. Managing a
/// child's space is done on the usual /api/me routes with the child's space named in
/// <see cref="BearerAuthenticationHandler.ChildSpaceHeader"/>; the child's grain decides on every
/// call. Rules: docs/children.md.
/// </summary>
public static class ChildrenEndpoints
{
    public static IEndpointRouteBuilder MapChildrenApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/me/children").WithTags("Children").RequireAuthorization(Roles.Patient)
            .AddEndpointFilter(async (context, next) =>
                // These routes are about the signed-in patient's own list: naming a child's space here is a mistake, not a request.
                context.HttpContext.User.ActsAsGuardian()
                    ? throw new DomainException(DomainError.InvalidRequest, $"{BearerAuthenticationHandler.ChildSpaceHeader} does not apply to /api/me/children.")
                    : await next(context));

        group.MapGet("/", (ClaimsPrincipal user, IGrainFactory grains) =>
            grains.GetPatientSpace(user.OwnSpaceId()).GetChildrenAsync(user.ToCaller()))
            .WithName("GetMyChildren").WithSummary("List the children's spaces I manage or managed as a guardian").ProducesProblems(400, 404);

        // The child's NIR is in the body, never in a URL (URLs end up in logs). Rate-limited like
        // activation: the claim proves identity with card data.
        group.MapPost("/", async Task<Results<Ok<ChildSpace>, ProblemHttpResult>> (AttachChildBody body, ClaimsPrincipal user, IGrainFactory grains, SpaceDirectory directory, HttpContext http) =>
        {
            if (!Nir.TryParse(body.Nir, out var nir) || string.IsNullOrWhiteSpace(body.VitaleSerial) || body.CardType is null || body.BirthDate is null || body.ParentalAuthority is null)
            {
                throw new DomainException(DomainError.InvalidRequest, "nir (the child's, 15 characters), vitaleSerial, cardType, birthDate and parentalAuthority are required.");
            }

            // An unknown NIR gets the same answer as details that do not match.
            var childSpaceId = await directory.FindByNirAsync(nir, http.RequestAborted) ?? throw new DomainException(DomainError.GuardianshipRefused);
            var claim = new GuardianshipClaim(nir, body.VitaleSerial, body.CardType.Value, body.BirthDate.Value, body.ParentalAuthority.Value);
            return TypedResults.Ok(await grains.GetPatientSpace(childSpaceId).AttachGuardianAsync(user.ToCaller(), claim));
        }).RequireRateLimiting(AccountEndpoints.RateLimitPolicy).WithName("AttachChild")
            .WithSummary("Attach a child's space as its guardian, proving parental authority with the child's NIR and Vitale card")
            .ProducesProblems(400, 403, 409, 429);

        group.MapDelete("/{childId:guid}", async (Guid childId, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            await grains.GetPatientSpace(childId).DetachGuardianAsync(Caller.Guardian(user.OwnSpaceId()));
            return TypedResults.NoContent();
        }).WithName("DetachChild").WithSummary("Stop managing a child's space").ProducesProblems(400, 404);

        return routes;
    }
}
