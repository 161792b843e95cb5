using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;
using MonEspaceSante.Api.Problems;

namespace MonEspaceSante.Api.OpenApi;

/// <summary>
/// The problem responses a route shares with every route of its kind, derived from its metadata
/// rather than repeated on each route: 401 and (when roles restrict it) 403 from its
/// authorization, 429 from its rate limiting, 400, 413 and 415 from the body it accepts (see
/// <see cref="RequestBodyProblems"/>), 503 on <c>/api</c> routes, which all need storage. Every
/// 423, 429 and 503 it lists, derived or declared by the route, declares <c>Retry-After</c>.
/// </summary>
internal sealed class ProblemResponseTransformer : IOpenApiOperationTransformer
{
    private const string ProblemSchema = nameof(ProblemDetails);

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var access = await EndpointAccess.OfAsync(context).ConfigureAwait(false);
        var statuses = new List<int>();
        if (!access.Anonymous)
        {
            statuses.Add(StatusCodes.Status401Unauthorized);
            if (access.RoleRestricted)
            {
                statuses.Add(StatusCodes.Status403Forbidden);
            }
        }

        if (metadata.OfType<EnableRateLimitingAttribute>().Any() && !metadata.OfType<DisableRateLimitingAttribute>().Any())
        {
            statuses.Add(StatusCodes.Status429TooManyRequests);
        }

        statuses.AddRange(RequestBodyProblems.Of(metadata));

        var relativePath = context.Description.RelativePath ?? "";
        var underApi = relativePath == "api" || relativePath.StartsWith("api/", StringComparison.Ordinal);
        if (underApi && !metadata.OfType<ProblemResponses.NoStorage>().Any())
        {
            statuses.Add(StatusCodes.Status503ServiceUnavailable);
        }

        operation.Responses ??= [];
        DescribeDeclaredProblems(operation.Responses);
        if (statuses.Count > 0)
        {
            var schema = await ProblemSchemaAsync(context, cancellationToken).ConfigureAwait(false);
            foreach (var status in statuses)
            {
                // A route's own declaration (ProducesProblems) says it better.
                operation.Responses.TryAdd(status.ToString(CultureInfo.InvariantCulture), new OpenApiResponse
                {
                    Description = status == StatusCodes.Status401Unauthorized ? "Missing, unknown or expired credentials." : ProblemResponses.Describe(status),
                    Content = new Dictionary<string, OpenApiMediaType> { [ProblemResponses.ContentType] = new() { Schema = schema } },
                });
            }
        }

        DeclareRetryAfter(operation.Responses);

        // Sorted by status, as a reader scans them.
        var sorted = operation.Responses.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        operation.Responses.Clear();
        foreach (var (key, response) in sorted)
        {
            operation.Responses[key] = response;
        }
    }

    /// <summary>
    /// <c>Retry-After</c> on each response whose status is sent with it (<see cref="RetryAfterHeader.Statuses"/>),
    /// whether this transformer or the route declared it: /health's own 503 as much as a problem's.
    /// </summary>
    private static void DeclareRetryAfter(OpenApiResponses responses)
    {
        foreach (var (key, declared) in responses)
        {
            if (declared is OpenApiResponse response
                && int.TryParse(key, CultureInfo.InvariantCulture, out var status)
                && RetryAfterHeader.Statuses.Contains(status))
            {
                response.Headers ??= new Dictionary<string, IOpenApiHeader>();
                response.Headers.TryAdd(HeaderNames.RetryAfter, new OpenApiHeader
                {
                    Description = status switch
                    {
                        StatusCodes.Status423Locked => "Seconds until the account unlocks.",
                        StatusCodes.Status429TooManyRequests => "Seconds until the limit lets this caller through again.",
                        _ => "Seconds to wait before retrying: storage is expected back by then.",
                    },
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1" },
                });
            }
        }
    }

    /// <summary>
    /// The generator describes a declared response by its bare reason phrase ("Not Found"); the
    /// API's own wording says what the status means here (a refusal that looks like absence, ...).
    /// </summary>
    private static void DescribeDeclaredProblems(OpenApiResponses responses)
    {
        foreach (var (key, declared) in responses)
        {
            if (declared is OpenApiResponse response
                && int.TryParse(key, CultureInfo.InvariantCulture, out var status)
                && response.Content?.ContainsKey(ProblemResponses.ContentType) == true
                && (string.IsNullOrEmpty(response.Description) || response.Description == ReasonPhrases.GetReasonPhrase(status)))
            {
                response.Description = ProblemResponses.Describe(status);
            }
        }
    }

    /// <summary>A reference to the shared ProblemDetails schema, registered if no route declared one yet.</summary>
    private static async Task<IOpenApiSchema> ProblemSchemaAsync(OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var document = context.Document!;
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (!document.Components.Schemas.ContainsKey(ProblemSchema))
        {
            document.Components.Schemas[ProblemSchema] = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, cancellationToken).ConfigureAwait(false);
        }

        return new OpenApiSchemaReference(ProblemSchema, document);
    }
}
