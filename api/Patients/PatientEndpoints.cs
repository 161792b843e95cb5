using Orleans;
using System.IO.Compression;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using MonEspaceSante.Api.OpenApi;
using MonEspaceSante.Api.Problems;
using MonEspaceSante.Api.Security;
using MonEspaceSante.Documents;
using MonEspaceSante.Notifications;
using MonEspaceSante.Spaces;
using MonEspaceSante.Storage;
using MonEspaceSante.Errors;

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
            grains.GetPatientSpace(user.SpaceId()).GetSummaryAsync(user.ToCaller())).WithName("GetMySpace")
                .WithSummary("Get a summary of my space").ProducesProblems(404);

        group.MapGet("/notifications", async Task<Results<Ok<FeedPage>, ProblemHttpResult>> (ClaimsPrincipal user, IDatabase database, IGrainFactory grains, long? after, int? limit) =>
        {
            if (after < 0 || limit is < 1 or > 500)
            {
                throw new DomainException(DomainError.InvalidRequest, "after must be >= 0 and limit between 1 and 500.");
            }

            if (user.ActsAsGuardian())
            {
                // A child's feed: its grain decides who reads it and what they see.
                var page = await grains.GetPatientSpace(user.SpaceId()).ReadFeedForGuardianAsync(user.ToCaller(), after ?? 0, limit ?? 100);
                return TypedResults.Ok(new FeedPage(page.Items.Select(i => new FeedEntry(i.Id, i.Sequence, i.Kind, i.PayloadJson, i.At)).ToList(), page.LastSequence));
            }

            // The holder's own feed, read straight from its table: the session is the space's.
            var items = await FeedWriter.ReadAsync(database, user.SpaceId().ToString(), after ?? 0, limit ?? 100);
            return TypedResults.Ok(new FeedPage(items, items.Count > 0 ? items[^1].Sequence : after));
        }).WithName("GetMyNotifications").WithSummary("Read my notification feed after a sequence number").ProducesProblems(400, 403, 404);

        group.MapGet("/archive", async Task<PushStreamHttpResult> (HttpContext http, ClaimsPrincipal user, IGrainFactory grains, DocumentVault vault) =>
        {
            var caller = user.ToCaller();
            var archive = await grains.GetPatientSpace(user.SpaceId()).ExportAsync(caller);
            var healthProfile = await grains.GetHealthProfile(user.SpaceId()).GetAsync(caller);
            var documents = grains.GetPatientDocuments(user.SpaceId());
            var listed = new List<DocumentInfo>();
            foreach (var status in new[] { DocumentStatus.Current, DocumentStatus.Superseded })
            {
                for (var offset = 0; ; offset += 200)
                {
                    var page = await documents.ListAsync(caller, new DocumentFilter(Status: status, Offset: offset, Limit: 200));
                    listed.AddRange(page.Items);
                    if (offset + page.Items.Count >= page.Total || page.Items.Count == 0)
                    {
                        break;
                    }
                }
            }

            // Streamed: a record's documents may be far larger than memory should hold. ZipArchive
            // still writes its deflate blocks synchronously to a non-seekable stream, so this one
            // rare request may block a thread rather than stage decrypted records on disk.
            if (http.Features.Get<IHttpBodyControlFeature>() is { } bodyControl)
            {
                bodyControl.AllowSynchronousIO = true;
            }

            return TypedResults.Stream(async body =>
            {
                await using var zip = await ZipArchive.CreateAsync(body, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null);
                await using (var entry = await zip.CreateEntry("mon-espace-sante.json", CompressionLevel.Optimal).OpenAsync())
                {
                    await JsonSerializer.SerializeAsync(entry, archive, ApiJsonContext.Default.SpaceArchive);
                }

                await using (var entry = await zip.CreateEntry("health-profile.json", CompressionLevel.Optimal).OpenAsync())
                {
                    await JsonSerializer.SerializeAsync(entry, healthProfile, ApiJsonContext.Default.HealthProfileView);
                }

                await using (var entry = await zip.CreateEntry("documents.json", CompressionLevel.Optimal).OpenAsync())
                {
                    await JsonSerializer.SerializeAsync(entry, listed, ApiJsonContext.Default.ListDocumentInfo);
                }

                foreach (var document in listed)
                {
                    var opened = await vault.OpenAsync(user.SpaceId(), caller, document.Id);
                    await using var content = opened.Content;
                    await using var entry = await zip.CreateEntry($"documents/{document.ClinicalDate:yyyy-MM-dd}-{document.Id}{ContentTypes.Extension(document.Format)}", CompressionLevel.Fastest).OpenAsync();
                    await content.CopyToAsync(entry);
                }
            }, "application/zip", $"mon-espace-sante-{archive.ExportedAt:yyyyMMdd}.zip");
        }).WithName("DownloadMyArchive").WithSummary("Download my whole record (data, health profile and documents) as a ZIP archive").ProducesProblems(404)
            .ProducesContent(ranges: false, "application/zip");

        group.MapPost("/close", async Task<Results<Ok<SpaceSummary>, ProblemHttpResult>> (ClaimsPrincipal user, CloseBody body, IGrainFactory grains) =>
        {
            if (string.IsNullOrEmpty(body.Password))
            {
                throw new DomainException(DomainError.InvalidRequest, "password is required to close the space.");
            }

            return TypedResults.Ok(await grains.GetPatientSpace(user.SpaceId()).CloseAsync(user.ToCaller(), body.Password));
        }).WithName("CloseMySpace").WithSummary("Close my space, confirming with my password").ProducesProblems(400, 401, 404, 409);

        return routes;
    }
}
