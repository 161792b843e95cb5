using Orleans;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using MonEspaceSante.Access;
using MonEspaceSante.Api.Security;
using MonEspaceSante.Spaces;

namespace MonEspaceSante.Api.Access;

/// <summary>
/// The patient's controls over professionals' access, and their access history. The grain
/// enforces every rule; these routes only bind and forward. Rules: docs/access.md.
/// </summary>
public static class AccessEndpoints
{
    public static IEndpointRouteBuilder MapAccessApi(this IEndpointRouteBuilder routes)
    {
        var access = routes.MapGroup("/api/me/access").WithTags("Access controls").RequireAuthorization(Roles.Patient);

        access.MapGet("/", (ClaimsPrincipal user, IGrainFactory grains) =>
            Grain(user, grains).GetSettingsAsync(user.ToCaller())).WithName("GetMyAccessSettings");

        access.MapPut("/professionals/{rpps}", (string rpps, GrantRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
            Grain(user, grains).SetProfessionalAsync(user.ToCaller(), rpps, request)).WithName("AuthoriseOrBlockProfessional");

        access.MapDelete("/professionals/{rpps}", (string rpps, ClaimsPrincipal user, IGrainFactory grains) =>
            Grain(user, grains).RevokeAsync(user.ToCaller(), rpps)).WithName("RevokeProfessional");

        access.MapPost("/professionals/{rpps}/extend", (string rpps, ExtendBody body, ClaimsPrincipal user, IGrainFactory grains) =>
            Grain(user, grains).ExtendAsync(user.ToCaller(), rpps, body.Days)).WithName("ExtendProfessional");

        access.MapPut("/treating-doctor", (TreatingDoctorBody body, ClaimsPrincipal user, IGrainFactory grains) =>
            Grain(user, grains).SetTreatingDoctorAsync(user.ToCaller(), body.Rpps ?? throw new Errors.DomainException(Errors.DomainError.InvalidRequest, "rpps is required."))).WithName("SetTreatingDoctor");

        access.MapDelete("/treating-doctor", (ClaimsPrincipal user, IGrainFactory grains) =>
            Grain(user, grains).SetTreatingDoctorAsync(user.ToCaller(), null)).WithName("RemoveTreatingDoctor");

        access.MapPut("/emergency", (EmergencyOptOutBody body, ClaimsPrincipal user, IGrainFactory grains) =>
            Grain(user, grains).SetEmergencyOptOutAsync(user.ToCaller(), body.OptOut)).WithName("SetEmergencyOptOut");

        var history = routes.MapGroup("/api/me/access-history").WithTags("Access history").RequireAuthorization(Roles.Patient);

        history.MapGet("/", (ClaimsPrincipal user, IGrainFactory grains,
            DateTimeOffset? from, DateTimeOffset? to, string? rpps, AccessOutcome? outcome, bool? emergency, AccessAction? action, int? offset, int? limit) =>
            Grain(user, grains).GetHistoryAsync(user.ToCaller(), new AccessHistoryFilter(from, to, rpps, outcome, emergency, action, offset ?? 0, limit ?? 50)))
            .WithName("GetMyAccessHistory");

        history.MapGet("/verify", (ClaimsPrincipal user, IGrainFactory grains) =>
            Grain(user, grains).VerifyHistoryAsync(user.ToCaller())).WithName("VerifyMyAccessHistory");

        history.MapGet("/pdf", async (ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.File(await Grain(user, grains).ExportHistoryPdfAsync(user.ToCaller()), "application/pdf", "historique-des-acces.pdf"))
            .WithName("ExportMyAccessHistory");

        return routes;
    }

    private static IPatientAccessGrain Grain(ClaimsPrincipal user, IGrainFactory grains) => grains.GetPatientAccess(user.SpaceId());
}
