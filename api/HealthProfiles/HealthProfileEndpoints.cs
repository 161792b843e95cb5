using Orleans;
using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using MonEspaceSante.Api.Documents;
using MonEspaceSante.Api.OpenApi;
using MonEspaceSante.Api.Security;
using MonEspaceSante.Errors;
using MonEspaceSante.HealthProfiles;

namespace MonEspaceSante.Api.HealthProfiles;

/// <summary>
/// The health profile ("profil médical"): the patient's own routes under <c>/api/me/health-profile</c>,
/// and professionals' under <c>/api/pro/patients/{patientId}/health-profile</c>. Not the identity
/// profile of <c>/api/pro/patients/{patientId}/profile</c>. Every call is decided by the patient's
/// space (a professional's recorded and notified); a refusal is the same 404 as an unknown patient.
/// Rules: docs/health-profile.md.
/// </summary>
public static class HealthProfileEndpoints
{
    private const string PdfName = "profil-medical.pdf";

    /// <summary>The largest body a health profile route reads: the longest entry (advance directives) escaped, with room to spare.</summary>
    public const long MaxBodyBytes = 128 * 1024;

    public static IEndpointRouteBuilder MapHealthProfileApi(this IEndpointRouteBuilder routes)
    {
        var me = routes.MapGroup("/api/me/health-profile").WithTags("Health profile").RequireAuthorization(Roles.Patient)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes));
        var pro = routes.MapGroup("/api/pro/patients/{patientId:guid}/health-profile").WithTags("Professionals").RequireAuthorization(Roles.Professional)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes));

        me.MapGet("/", (ClaimsPrincipal user, IGrainFactory grains) =>
            grains.GetHealthProfile(user.SpaceId()).GetAsync(user.ToCaller())).WithName("GetMyHealthProfile")
                .WithSummary("Read my health profile (every section)").ProducesProblems(404);

        me.MapGet("/pdf", async (ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.File(await grains.GetHealthProfile(user.SpaceId()).RenderPdfAsync(user.ToCaller()), "application/pdf", PdfName))
            .WithName("DownloadMyHealthProfile").WithSummary("Download a PDF synthesis of my health profile").ProducesProblems(404)
            .ProducesContent(ranges: false, "application/pdf");

        me.MapPut("/wishes", async (HealthWishes wishes, ClaimsPrincipal user, IGrainFactory grains, HttpContext http, [FromHeader(Name = "If-Match")] string? ifMatch) =>
        {
            var view = await grains.GetHealthProfile(user.SpaceId()).SetWishesAsync(user.ToCaller(), wishes, VersionOf(ifMatch));
            http.Response.Headers.ETag = ETag(view.Version);
            return TypedResults.Ok(view);
        }).WithName("SetMyHealthWishes").WithSummary("Set my wishes: organ donation, advance directives").ProducesProblems(400, 404, 409, 412, 413);

        pro.MapGet("/", (Guid patientId, ClaimsPrincipal user, IGrainFactory grains) =>
            grains.GetHealthProfile(patientId).GetAsync(user.ToCaller())).WithName("GetPatientHealthProfile")
                .WithSummary("Read a patient's health profile (recorded in their access history)").ProducesProblems(404, 409, 429);

        pro.MapGet("/pdf", async (Guid patientId, ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.File(await grains.GetHealthProfile(patientId).RenderPdfAsync(user.ToCaller()), "application/pdf", PdfName))
            .WithName("DownloadPatientHealthProfile").WithSummary("Download a PDF synthesis of a patient's health profile (recorded as a download)")
            .ProducesProblems(404, 409, 429).ProducesContent(ranges: false, "application/pdf");

        MapSection<MedicalHistoryItem>(me, pro, "history", "HistoryEntry", "a medical history entry (illness, hospitalisation, surgery, past treatment)");
        MapSection<TreatmentItem>(me, pro, "treatments", "Treatment", "a current treatment");
        MapSection<AllergyItem>(me, pro, "allergies", "Allergy", "an allergy");
        MapSection<FamilyHistoryItem>(me, pro, "family-history", "FamilyHistoryEntry", "a family history entry");
        MapSection<VaccinationItem>(me, pro, "vaccinations", "Vaccination", "a vaccination");
        MapSection<MeasurementItem>(me, pro, "measurements", "Measurement", "a measurement (value, unit of its kind, date)");
        MapSection<ContactItem>(me, null, "contacts", "Contact", "a person to contact");
        MapSection<FollowerItem>(me, null, "followers", "Follower", "a professional who follows me (by RPPS)");
        return routes;
    }

    /// <summary>
    /// Add, change and remove for one section: the patient's routes, and, for the clinical
    /// sections, a professional's (who changes and removes only what they wrote).
    /// </summary>
    private static void MapSection<TItem>(RouteGroupBuilder me, RouteGroupBuilder? pro, string segment, string name, string what)
        where TItem : class, IHealthItem
    {
        me.MapPost($"/{segment}", async Task<Results<Created<HealthEntry<TItem>>, Ok<HealthEntry<TItem>>>> (
            TItem item, ClaimsPrincipal user, IGrainFactory grains, HttpContext http, [FromHeader(Name = DocumentEndpoints.IdempotencyHeader)] string? idempotencyKey) =>
            Respond(http, await grains.GetHealthProfile(user.SpaceId()).AddAsync(user.ToCaller(), item, idempotencyKey)))
            .WithName($"AddMy{name}").WithSummary($"Add {what} to my health profile").ProducesProblems(400, 404, 409, 413, 422);

        me.MapPut($"/{segment}/{{entryId:guid}}", async (Guid entryId, TItem item, ClaimsPrincipal user, IGrainFactory grains, HttpContext http, [FromHeader(Name = "If-Match")] string? ifMatch) =>
            Updated(http, await grains.GetHealthProfile(user.SpaceId()).UpdateAsync(user.ToCaller(), entryId, item, VersionOf(ifMatch))))
            .WithName($"ChangeMy{name}").WithSummary($"Change {what} I wrote in my health profile").ProducesProblems(400, 403, 404, 409, 412, 413);

        me.MapDelete($"/{segment}/{{entryId:guid}}", async Task<NoContent> (Guid entryId, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            await grains.GetHealthProfile(user.SpaceId()).DeleteAsync<TItem>(user.ToCaller(), entryId);
            return TypedResults.NoContent();
        }).WithName($"DeleteMy{name}").WithSummary($"Remove {what} from my health profile, whoever wrote it").ProducesProblems(404, 409);

        if (pro is null)
        {
            return;
        }

        pro.MapPost($"/{segment}", async Task<Results<Created<HealthEntry<TItem>>, Ok<HealthEntry<TItem>>>> (
            Guid patientId, TItem item, ClaimsPrincipal user, IGrainFactory grains, HttpContext http, [FromHeader(Name = DocumentEndpoints.IdempotencyHeader)] string? idempotencyKey) =>
            Respond(http, await grains.GetHealthProfile(patientId).AddAsync(user.ToCaller(), item, idempotencyKey)))
            .WithName($"AddPatient{name}").WithSummary($"Add {what} to a patient's health profile (shown with me as its author)").ProducesProblems(400, 404, 409, 413, 422, 429);

        pro.MapPut($"/{segment}/{{entryId:guid}}", async (Guid patientId, Guid entryId, TItem item, ClaimsPrincipal user, IGrainFactory grains, HttpContext http, [FromHeader(Name = "If-Match")] string? ifMatch) =>
            Updated(http, await grains.GetHealthProfile(patientId).UpdateAsync(user.ToCaller(), entryId, item, VersionOf(ifMatch))))
            .WithName($"ChangePatient{name}").WithSummary($"Change {what} I wrote in a patient's health profile").ProducesProblems(400, 403, 404, 409, 412, 413, 429);

        pro.MapDelete($"/{segment}/{{entryId:guid}}", async Task<NoContent> (Guid patientId, Guid entryId, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            await grains.GetHealthProfile(patientId).DeleteAsync<TItem>(user.ToCaller(), entryId);
            return TypedResults.NoContent();
        }).WithName($"DeletePatient{name}").WithSummary($"Remove {what} I wrote from a patient's health profile").ProducesProblems(403, 404, 409, 429);
    }

    /// <summary>201 for a new entry; 200 with <c>Idempotent-Replayed</c> for a retry of one already added. The ETag is the entry's version.</summary>
    private static Results<Created<HealthEntry<TItem>>, Ok<HealthEntry<TItem>>> Respond<TItem>(HttpContext http, HealthEntryResult<TItem> result)
        where TItem : class, IHealthItem
    {
        http.Response.Headers.ETag = ETag(result.Entry.Version);
        if (result.Replayed)
        {
            http.Response.Headers["Idempotent-Replayed"] = "true";
            return TypedResults.Ok(result.Entry);
        }

        return TypedResults.Created((string?)null, result.Entry);
    }

    private static Ok<HealthEntry<TItem>> Updated<TItem>(HttpContext http, HealthEntry<TItem> entry)
        where TItem : class, IHealthItem
    {
        http.Response.Headers.ETag = ETag(entry.Version);
        return TypedResults.Ok(entry);
    }

    private static string ETag(long version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>The version an <c>If-Match</c> names (<c>"3"</c>, as the ETag gave it); none for <c>*</c> or no header.</summary>
    private static long? VersionOf(string? ifMatch)
    {
        var value = ifMatch?.Trim();
        if (string.IsNullOrEmpty(value) || value == "*")
        {
            return null;
        }

        if (value.StartsWith("W/", StringComparison.Ordinal))
        {
            value = value[2..];
        }

        return long.TryParse(value.Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : throw new DomainException(DomainError.InvalidRequest, "If-Match must be the entry's ETag, as a response gave it (for example \"3\").");
    }
}
