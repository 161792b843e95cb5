using Orleans;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using MonEspaceSante.Api.OpenApi;
using MonEspaceSante.Api.Security;
using MonEspaceSante.Errors;
using MonEspaceSante.Identity;
using MonEspaceSante.Professionals;
using MonEspaceSante.Spaces;

namespace MonEspaceSante.Api.Professionals;

/// <summary>The professionals directory: searched by patients, imported by operators. Rules: docs/professionals.md.</summary>
public static class ProfessionalEndpoints
{
    /// <summary>The national extract is about a gigabyte; the import reads it as it arrives.</summary>
    private const long MaxImportBytes = 4L * 1024 * 1024 * 1024;

    public static IEndpointRouteBuilder MapProfessionalsApi(this IEndpointRouteBuilder routes)
    {
        // Patients look professionals up to grant or block them; professionals will be let in with their own access.
        var directory = routes.MapGroup("/api/professionals").WithTags("Professionals").RequireAuthorization(Roles.Patient);

        directory.MapGet("/", async Task<Ok<ProfessionalPage>> (ProfessionalDirectory professionals, string? name, string? profession, string? city, int? offset, int? limit, CancellationToken cancellationToken) =>
            TypedResults.Ok(await professionals.SearchAsync(new ProfessionalQuery(name, profession, city, offset ?? 0, limit ?? ProfessionalQuery.DefaultLimit), cancellationToken)))
            .WithName("SearchProfessionals").WithSummary("Search the professionals directory by name, profession or city").ProducesProblems(400);

        directory.MapGet("/{rpps}", async Task<Results<Ok<ProfessionalInfo>, ProblemHttpResult>> (string rpps, ClaimsPrincipal user, IGrainFactory grains) =>
            Rpps.TryParse(rpps, out var number)
                ? TypedResults.Ok(await grains.GetProfessional(number).GetAsync(user.ToCaller()))
                // A malformed number names no one: the same answer as an unknown one.
                : throw new DomainException(DomainError.NotFound, "Not an RPPS number."))
            .WithName("GetProfessional").WithSummary("Get a professional from the directory by RPPS").ProducesProblems(404);

        var import = routes.MapGroup("/api/operator/professionals").WithTags("Operator").RequireAuthorization(Roles.Operator);

        // The body is the extract itself, imported while it arrives; the answer comes at the end.
        import.MapPost("/", async Task<Results<Ok<ProfessionalImportResult>, ProblemHttpResult>> (HttpRequest request, ClaimsPrincipal user, ProfessionalImporter importer) =>
        {
            if (request.ContentType is not { } type || !(type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) || type.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase)))
            {
                return TypedResults.Problem(statusCode: 415, title: "The RPPS extract must be sent as text/csv.", type: Problems.ErrorResponses.TypePrefix + "unsupported-media-type");
            }

            return TypedResults.Ok(await importer.ImportAsync(user.ToCaller(), request.Body, request.HttpContext.RequestAborted));
        }).WithMetadata(new RequestSizeLimitAttribute(MaxImportBytes)).Accepts<Stream>("text/csv", "application/octet-stream").WithName("ImportProfessionals")
            .WithSummary("Import the national RPPS extract (CSV, streamed)").ProducesProblems(400, 403, 413, 415);

        return routes;
    }
}
