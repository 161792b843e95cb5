using Orleans;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using MonEspaceSante.Access;
using MonEspaceSante.Api.OpenApi;
using MonEspaceSante.Api.Security;
using MonEspaceSante.Enrolment;
using MonEspaceSante.Spaces;
using MonEspaceSante.Errors;

namespace MonEspaceSante.Api.Operators;

public sealed record SpaceCounts(IReadOnlyDictionary<SpaceStatus, long> ByStatus, long Total);

/// <summary>What operators do: enrol people from files, follow imports, count spaces. Never health content.</summary>
public static class OperatorEndpoints
{
    public static IEndpointRouteBuilder MapOperatorsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/operator").WithTags("Operator").RequireAuthorization(Roles.Operator);

        // The body is the CSV itself, streamed to storage; the import runs as a job.
        group.MapPost("/enrolments", async Task<Results<Accepted<ImportProgress>, Ok<ImportProgress>, ProblemHttpResult>> (
            HttpRequest request,
            ClaimsPrincipal user,
            EnrolmentImports imports,
            [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
            string? fileName) =>
        {
            if (request.ContentType is not { } type || !(type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) || type.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase)))
            {
                return TypedResults.Problem(statusCode: 415, title: "The enrolment file must be sent as text/csv.", type: Problems.ErrorResponses.TypePrefix + "unsupported-media-type");
            }

            if (idempotencyKey is { Length: > 200 })
            {
                throw new DomainException(DomainError.InvalidRequest, "Idempotency-Key is at most 200 characters.");
            }

            var (progress, created) = await imports.CreateAsync(request.Body, fileName ?? "enrolment.csv", idempotencyKey, user.Identity!.Name!, request.HttpContext.RequestAborted);
            return created
                ? TypedResults.Accepted($"/api/operator/enrolments/{progress.ImportId}", progress)
                : TypedResults.Ok(progress);
        }).WithMetadata(new RequestSizeLimitAttribute(8L * 1024 * 1024 * 1024)).Accepts<Stream>("text/csv", "application/octet-stream").WithName("StartEnrolmentImport")
            .WithSummary("Upload an enrolment CSV and start importing it").ProducesProblems(400, 413, 415, 422);

        group.MapGet("/enrolments/{importId:guid}", (Guid importId, ClaimsPrincipal user, IGrainFactory grains) =>
            grains.GetEnrolmentImport(importId).GetProgressAsync(user.ToCaller())).WithName("GetEnrolmentImport")
                .WithSummary("Follow an enrolment import's progress").ProducesProblems(404);

        group.MapGet("/enrolments/{importId:guid}/rejections", (Guid importId, ClaimsPrincipal user, IGrainFactory grains, long? afterLine, int? limit) =>
            grains.GetEnrolmentImport(importId).GetRejectionsAsync(user.ToCaller(), afterLine ?? 0, limit ?? 100)).WithName("GetEnrolmentRejections")
                .WithSummary("List an enrolment import's rejected lines, paged").ProducesProblems(400, 404);

        group.MapGet("/spaces/counts", async (SpaceStatistics statistics) =>
        {
            var counts = await statistics.CountByStatusAsync();
            return TypedResults.Ok(new SpaceCounts(counts, counts.Values.Sum()));
        }).WithName("CountSpaces").WithSummary("Count spaces by status");

        group.MapGet("/alerts", (OperatorAlerts alerts, DateTimeOffset? since, int? limit) =>
            alerts.ListAsync(since, limit ?? 100)).WithName("ListOperatorAlerts")
                .WithSummary("List operator alerts since a date").ProducesProblems(400);

        return routes;
    }
}
