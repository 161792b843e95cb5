using System.IO.Compression;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using MonEspaceSante.Api.Problems;
using MonEspaceSante.Api.Security;
using MonEspaceSante.Notifications;
using MonEspaceSante.Spaces;
using MonEspaceSante.Storage;

namespace MonEspaceSante.Api.Patients;

public sealed record CloseBody(string? Password);

public sealed record FeedPage(IReadOnlyList<FeedEntry> Items, long? LastSequence);

/// <summary>The patient's own space: summary, notification feed, archive download and closure.</summary>
public static class PatientEndpoints
{
    public static IEndpointRouteBuilder MapPatientsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/me").WithTags("Patient").RequireAuthorization(Roles.Patient);

        group.MapGet("/", (ClaimsPrincipal user, IGrainFactory grains) =>
            grains.GetPatientSpace(user.SpaceId()).GetSummaryAsync(user.ToCaller())).WithName("GetMySpace");

        group.MapGet("/notifications", async Task<Results<Ok<FeedPage>, ProblemHttpResult>> (ClaimsPrincipal user, IDatabase database, long? after, int? limit) =>
        {
            if (after < 0 || limit is < 1 or > 500)
            {
                return Problems.Problems.Invalid("after must be >= 0 and limit between 1 and 500.");
            }

            var items = await FeedWriter.ReadAsync(database, user.SpaceId().ToString(), after ?? 0, limit ?? 100);
            return TypedResults.Ok(new FeedPage(items, items.Count > 0 ? items[^1].Sequence : after));
        }).WithName("GetMyNotifications");

        group.MapGet("/archive", async Task<FileContentHttpResult> (ClaimsPrincipal user, IGrainFactory grains) =>
        {
            var archive = await grains.GetPatientSpace(user.SpaceId()).ExportAsync(user.ToCaller());
            using var buffer = new MemoryStream();
            using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            {
                await using var entry = await zip.CreateEntry("mon-espace-sante.json", CompressionLevel.Optimal).OpenAsync();
                await JsonSerializer.SerializeAsync(entry, archive, ApiJsonContext.Default.SpaceArchive);
            }

            return TypedResults.File(buffer.ToArray(), "application/zip", $"mon-espace-sante-{archive.ExportedAt:yyyyMMdd}.zip");
        }).WithName("DownloadMyArchive");

        group.MapPost("/close", async Task<Results<Ok<SpaceSummary>, ProblemHttpResult>> (ClaimsPrincipal user, CloseBody body, IGrainFactory grains) =>
        {
            if (string.IsNullOrEmpty(body.Password))
            {
                return Problems.Problems.Invalid("password is required to close the space.");
            }

            return TypedResults.Ok(await grains.GetPatientSpace(user.SpaceId()).CloseAsync(user.ToCaller(), body.Password));
        }).WithName("CloseMySpace");

        return routes;
    }
}
