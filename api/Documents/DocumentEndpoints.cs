using Orleans;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using MonEspaceSante.Api.OpenApi;
using MonEspaceSante.Api.Security;
using MonEspaceSante.Content;
using MonEspaceSante.Documents;
using MonEspaceSante.Spaces;

namespace MonEspaceSante.Api.Documents;

/// <summary>The patient's documents: upload, list, read (with Range), describe, mask, delete. Rules: docs/documents.md.</summary>
public static class DocumentEndpoints
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public static IEndpointRouteBuilder MapDocumentsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/me/documents").WithTags("Documents").RequireAuthorization(Roles.Patient);

        group.MapPost("/", UploadAsync).WithName("UploadMyDocument")
            .WithSummary("Add a document to my space (multipart: metadata, then content)")
            .ProducesProblems(400, 403, 404, 409, 413, 415, 422).Accepts<DocumentDeclaration>("multipart/form-data");
        group.MapGet("/", ListAsync).WithName("ListMyDocuments").WithSummary("List my documents, filtered and paged").ProducesProblems(400, 404);
        group.MapGet("/{id:guid}", GetAsync).WithName("GetMyDocument").WithSummary("Get a document's description").ProducesProblems(404);
        group.MapGet("/{id:guid}/content", DownloadAsync).WithName("DownloadMyDocument").WithSummary("Download a document's content (byte ranges supported)")
            .ProducesProblems(404, 416, 500).ProducesContent(ranges: true, ContentResponses.DocumentTypes);
        group.MapPatch("/{id:guid}", DescribeAsync).WithName("DescribeMyDocument").WithSummary("Change a document's description").ProducesProblems(400, 403, 404, 409);
        group.MapPost("/{id:guid}/mask", MaskAsync).WithName("MaskMyDocument").WithSummary("Hide a document from professionals").ProducesProblems(400, 404, 409);
        group.MapPost("/{id:guid}/unmask", UnmaskAsync).WithName("UnmaskMyDocument").WithSummary("Show a masked document to professionals again").ProducesProblems(400, 404, 409);
        group.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteMyDocument")
            .WithSummary("Delete a document (my own uploads are erased, professionals' are masked and marked deleted)").ProducesProblems(404, 409);
        return routes;
    }

    private static async Task<Results<Created<DocumentInfo>, Ok<DocumentInfo>>> UploadAsync(
        HttpContext http, ClaimsPrincipal user, DocumentVault vault, IOptions<DocumentOptions> options, [FromHeader(Name = IdempotencyHeader)] string? idempotencyKey)
    {
        var upload = await UploadReader.ReadAsync<DocumentDeclaration>(http, options.Value.MaxSize);
        var declaration = upload.Metadata with { FileName = upload.Metadata.FileName ?? upload.FileName };
        var result = await vault.AddAsync(user.SpaceId(), user.ToCaller(), declaration, upload.Content, idempotencyKey, http.RequestAborted);
        return Respond(http, result, $"/api/me/documents/{result.Document.Id}");
    }

    private static Task<DocumentPage> ListAsync([AsParameters] DocumentQuery query, ClaimsPrincipal user, IGrainFactory grains) =>
        grains.GetPatientDocuments(user.SpaceId()).ListAsync(user.ToCaller(), query.ToFilter());

    private static Task<DocumentInfo> GetAsync(Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
        grains.GetPatientDocuments(user.SpaceId()).GetAsync(user.ToCaller(), id);

    private static async Task<FileStreamHttpResult> DownloadAsync(Guid id, HttpContext http, ClaimsPrincipal user, DocumentVault vault) =>
        Download(await vault.OpenAsync(user.SpaceId(), user.ToCaller(), id, http.RequestAborted));

    private static Task<DocumentInfo> DescribeAsync(Guid id, DocumentChange change, ClaimsPrincipal user, IGrainFactory grains) =>
        grains.GetPatientDocuments(user.SpaceId()).ChangeAsync(user.ToCaller(), id, change);

    private static Task<DocumentInfo> MaskAsync(Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
        grains.GetPatientDocuments(user.SpaceId()).SetMaskedAsync(user.ToCaller(), id, masked: true);

    private static Task<DocumentInfo> UnmaskAsync(Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
        grains.GetPatientDocuments(user.SpaceId()).SetMaskedAsync(user.ToCaller(), id, masked: false);

    private static async Task<NoContent> DeleteAsync(Guid id, ClaimsPrincipal user, IGrainFactory grains)
    {
        await grains.GetPatientDocuments(user.SpaceId()).DeleteAsync(user.ToCaller(), id);
        return TypedResults.NoContent();
    }

    /// <summary>201 for a new document; 200 with <c>Idempotent-Replayed</c> for a retry of one already stored.</summary>
    internal static Results<Created<DocumentInfo>, Ok<DocumentInfo>> Respond(HttpContext http, UploadResult result, string location)
    {
        if (result.Replayed)
        {
            http.Response.Headers["Idempotent-Replayed"] = "true";
            return TypedResults.Ok(result.Document);
        }

        return TypedResults.Created(location, result.Document);
    }

    /// <summary>Streams the decrypted content, always as an attachment (never rendered in our origin), with Range support.</summary>
    internal static FileStreamHttpResult Download(DocumentContent opened)
    {
        var document = opened.Document;
        // The file name is already safe (the grain's DocumentInfo makes even names stored before
        // that rule safe); a document sent without one is named after its title.
        var name = document.FileName ?? (FileNames.Safe(document.Title) ?? "document") + ContentTypes.Extension(document.Format);
        return TypedResults.Stream(opened.Content, document.ContentType, name, document.AddedAt, new EntityTagHeaderValue($"\"{document.Sha256}\""), enableRangeProcessing: true);
    }
}
