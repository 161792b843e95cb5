using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace MonEspaceSante.Api.OpenApi;

/// <summary>
/// The problem statuses a route can answer besides those every route of its kind shares (401,
/// 403, 429 and 503, and 400, 413 and 415 on a route that takes a body, come from
/// <see cref="ProblemResponseTransformer"/>). Each is declared with
/// <c>application/problem+json</c> and the <see cref="ProblemDetails"/> schema; the problem's
/// <c>type</c> (<c>urn:monespacesante:problem:{code}</c>) tells refusals of one status apart.
/// </summary>
public static class ProblemResponses
{
    public const string ContentType = "application/problem+json";

    /// <summary>
    /// Declares each status in <paramref name="statuses"/> as a problem-details response; its
    /// description comes from <see cref="Describe"/> (see <see cref="ProblemResponseTransformer"/>).
    /// </summary>
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params int[] statuses)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(statuses);
        foreach (var status in statuses)
        {
            builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), [ContentType]));
        }

        return builder;
    }

    /// <summary>
    /// Marks a route that reads and writes no storage (not even to authenticate its callers), so
    /// it does not declare the 503 an unreachable database gives the others.
    /// </summary>
    public static TBuilder WithoutStorage<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(NoStorage.Instance);

    internal static string Describe(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "The request is not valid: a missing or malformed field, parameter or body.",
        StatusCodes.Status401Unauthorized => "A wrong password or one-time code, or missing, unknown or expired credentials.",
        StatusCodes.Status403Forbidden => "The caller is known but may not do this.",
        StatusCodes.Status404NotFound => "Not found, or not visible to this caller: a refusal looks like absence.",
        StatusCodes.Status409Conflict => "The resource's state does not allow this (closed space, already replaced, address taken), or it changed concurrently; see the problem type.",
        StatusCodes.Status412PreconditionFailed => "The entry changed since it was read: its version is no longer the one If-Match names.",
        StatusCodes.Status413PayloadTooLarge => "The body is larger than the limit.",
        StatusCodes.Status415UnsupportedMediaType => "The content type or format is not accepted.",
        StatusCodes.Status416RangeNotSatisfiable => "The requested byte range lies outside the content.",
        StatusCodes.Status422UnprocessableEntity => "Well formed but not processable: see the problem type (idempotency key reused, unknown recipient, ...).",
        StatusCodes.Status423Locked => "The account is temporarily locked after repeated failures.",
        StatusCodes.Status429TooManyRequests => "Too many requests or attempts; try again later.",
        StatusCodes.Status500InternalServerError => "The stored content failed its integrity check and was not served.",
        StatusCodes.Status503ServiceUnavailable => "Storage is unreachable; retry after the Retry-After delay.",
        _ => ReasonPhrases.GetReasonPhrase(status),
    };

    /// <summary>The marker <see cref="WithoutStorage{TBuilder}"/> adds.</summary>
    internal sealed class NoStorage
    {
        public static readonly NoStorage Instance = new();
    }
}
