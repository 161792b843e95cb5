using System.Collections.Frozen;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using MonEspaceSante.Errors;

namespace MonEspaceSante.Api.Problems;

/// <summary>
/// Every error answer is problem details and never cached, whoever produced it: an endpoint, the
/// authorization layer (401, 403), routing (404, 405) or the framework's range handling (416).
/// </summary>
/// <remarks>
/// Written here rather than with <c>UseStatusCodePages</c>: that middleware leaves alone any
/// response that already has a content type or a length, and a file result refusing a range sets
/// both (the file's type, length 0), so the client got an empty 416 in the document's media type.
/// </remarks>
public static class ErrorResponses
{
    /// <summary>A problem's <c>type</c> is this prefix and the error's stable code (<see cref="DomainError.Code"/>).</summary>
    public const string TypePrefix = "urn:monespacesante:problem:";

    private static readonly FrozenDictionary<int, (string Code, string Title)> Defaults = new Dictionary<int, (string, string)>
    {
        [400] = ("bad-request", "The request could not be read."),
        [401] = ("unauthenticated", "Authentication is required: send a valid bearer token."),
        [403] = ("forbidden", "You may not do this."),
        [404] = ("not-found", "Not found."),
        [405] = ("method-not-allowed", "This method is not allowed here."),
        [406] = ("not-acceptable", "No acceptable representation."),
        [411] = ("length-required", "The request must state its length."),
        [413] = ("content-too-large", "The request is larger than the size limit."),
        [415] = ("unsupported-media-type", "The request's media type is not accepted here."),
        [416] = ("range-not-satisfiable", "The requested range is outside the content."),
        [429] = ("rate-limited", "Too many requests; try again later."),
        [500] = ("internal-error", "An unexpected error occurred."),
        [503] = ("unavailable", "The service is temporarily unavailable; try again shortly."),
    }.ToFrozenDictionary();

    public static IApplicationBuilder UseErrorResponses(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                // Everything under /api is about a person's record or account, and any error may
                // echo part of one: neither is ever cached.
                if (context.Response.StatusCode >= 400 || context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
                {
                    context.Response.Headers.CacheControl = "no-store";
                    context.Response.Headers.Pragma = "no-cache";
                    context.Response.Headers.XContentTypeOptions = "nosniff";
                }

                return Task.CompletedTask;
            });

            await next(context).ConfigureAwait(false);

            var response = context.Response;
            if (response.HasStarted || response.StatusCode < 400 || response.StatusCode >= 600 || response.ContentLength > 0
                || response.ContentType?.StartsWith("application/problem+json", StringComparison.OrdinalIgnoreCase) == true)
            {
                return;
            }

            // An error without a body: give it one. Headers that explain it (Content-Range,
            // WWW-Authenticate, Retry-After, Allow) stay; the file's own type and length go.
            response.ContentType = null;
            response.ContentLength = null;
            response.Headers.ContentDisposition = default;
            response.Headers.ETag = default;
            response.Headers.LastModified = default;
            await WriteAsync(context).ConfigureAwait(false);
        });
    }

    /// <summary>
    /// The error for a status the framework answers (routing, the body binder, the server's limits),
    /// so one status has one problem type whichever of them answered it.
    /// </summary>
    public static DomainError For(int status) =>
        Defaults.TryGetValue(status, out var known) ? new DomainError(known.Code, known.Title, status) : new DomainError("http-" + status, "The request failed.", status);

    private static async Task WriteAsync(HttpContext context)
    {
        var error = For(context.Response.StatusCode);
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = error.Status, Title = error.Title, Type = ErrorResponses.TypePrefix + error.Code },
        }).ConfigureAwait(false);
    }
}
