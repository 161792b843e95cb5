using Orleans;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using MonEspaceSante.Access;
using MonEspaceSante.Api.OpenApi;
using MonEspaceSante.Api.Security;
using MonEspaceSante.Errors;
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
        access.MapGet("/", GetSettingsAsync).WithName("GetMyAccessSettings")
            .WithSummary("Get who may access my space: authorisations, blocks, treating doctor, emergency opt-out").ProducesProblems(404);
        access.MapPut("/professionals/{rpps}", SetProfessionalAsync).WithName("AuthoriseOrBlockProfessional")
            .WithSummary("Authorise or block a professional").ProducesProblems(400, 404, 409);
        access.MapDelete("/professionals/{rpps}", RevokeAsync).WithName("RevokeProfessional")
            .WithSummary("Remove a professional's authorisation or block").ProducesProblems(400, 404, 409);
        access.MapPost("/professionals/{rpps}/extend", ExtendAsync).WithName("ExtendProfessional")
            .WithSummary("Extend a professional's authorisation by some days").ProducesProblems(400, 404, 409);
        access.MapPut("/treating-doctor", SetTreatingDoctorAsync).WithName("SetTreatingDoctor")
            .WithSummary("Name my treating doctor").ProducesProblems(400, 404, 409);
        access.MapDelete("/treating-doctor", RemoveTreatingDoctorAsync).WithName("RemoveTreatingDoctor")
            .WithSummary("Remove my treating doctor").ProducesProblems(404, 409);
        access.MapPut("/emergency", SetEmergencyOptOutAsync).WithName("SetEmergencyOptOut")
            .WithSummary("Refuse or allow emergency (break-glass) access to my space").ProducesProblems(400, 404, 409);

        var history = routes.MapGroup("/api/me/access-history").WithTags("Access history").RequireAuthorization(Roles.Patient);
        history.MapGet("/", GetHistoryAsync).WithName("GetMyAccessHistory")
            .WithSummary("List who accessed my space or was refused, filtered and paged").ProducesProblems(400, 404);
        history.MapGet("/verify", VerifyHistoryAsync).WithName("VerifyMyAccessHistory")
            .WithSummary("Check that my access history's hash chain is intact").ProducesProblems(404);
        history.MapGet("/pdf", ExportHistoryAsync).WithName("ExportMyAccessHistory").WithSummary("Download my access history as a PDF").ProducesProblems(404)
            .ProducesContent(ranges: false, "application/pdf");
        return routes;
    }

    private static Task<AccessSettings> GetSettingsAsync(ClaimsPrincipal user, IGrainFactory grains) =>
        Grain(user, grains).GetSettingsAsync(user.ToCaller());

    private static Task<AccessSettings> SetProfessionalAsync(string rpps, GrantRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
        Grain(user, grains).SetProfessionalAsync(user.ToCaller(), rpps, request);

    private static Task<AccessSettings> RevokeAsync(string rpps, ClaimsPrincipal user, IGrainFactory grains) =>
        Grain(user, grains).RevokeAsync(user.ToCaller(), rpps);

    private static Task<AccessSettings> ExtendAsync(string rpps, ExtendBody body, ClaimsPrincipal user, IGrainFactory grains) =>
        Grain(user, grains).ExtendAsync(user.ToCaller(), rpps, body.Days);

    private static Task<AccessSettings> SetTreatingDoctorAsync(TreatingDoctorBody body, ClaimsPrincipal user, IGrainFactory grains) =>
        Grain(user, grains).SetTreatingDoctorAsync(user.ToCaller(), body.Rpps ?? throw new DomainException(DomainError.InvalidRequest, "rpps is required."));

    private static Task<AccessSettings> RemoveTreatingDoctorAsync(ClaimsPrincipal user, IGrainFactory grains) =>
        Grain(user, grains).SetTreatingDoctorAsync(user.ToCaller(), null);

    private static Task<AccessSettings> SetEmergencyOptOutAsync(EmergencyOptOutBody body, ClaimsPrincipal user, IGrainFactory grains) =>
        Grain(user, grains).SetEmergencyOptOutAsync(user.ToCaller(), body.OptOut);

    private static Task<AccessHistoryPage> GetHistoryAsync([AsParameters] AccessHistoryQuery query, ClaimsPrincipal user, IGrainFactory grains) =>
        Grain(user, grains).GetHistoryAsync(user.ToCaller(), query.ToFilter());

    private static Task<HistoryVerification> VerifyHistoryAsync(ClaimsPrincipal user, IGrainFactory grains) =>
        Grain(user, grains).VerifyHistoryAsync(user.ToCaller());

    private static async Task<FileContentHttpResult> ExportHistoryAsync(ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.File(await Grain(user, grains).ExportHistoryPdfAsync(user.ToCaller()), "application/pdf", "historique-des-acces.pdf");

    private static IPatientAccessGrain Grain(ClaimsPrincipal user, IGrainFactory grains) => grains.GetPatientAccess(user.SpaceId());
}
