using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using MonEspaceSante.Errors;

namespace MonEspaceSante.Api.Problems;

/// <summary>
/// Turns grain refusals, malformed requests and an unreachable database into problem details;
/// anything else is a 500 without internals.
/// </summary>
public sealed partial class DomainExceptionHandler(IProblemDetailsService problems, ILogger<DomainExceptionHandler> logger) : IExceptionHandler
{
    public static readonly DomainError StorageUnavailable = new("storage-unavailable", "The service is temporarily unavailable; try again shortly.", 503);

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var (error, detail, retryAfter) = exception switch
        {
            DomainException domain => (domain.Error, domain.Detail, domain.RetryAfter),
            BadHttpRequestException { InnerException: JsonException json } => (DomainError.InvalidRequest, JsonProblems.Describe(json), null),
            BadHttpRequestException bad when BindingProblems.Describe(bad, httpContext) is { } binding => (DomainError.InvalidRequest, binding, null),
            // The binder's 415 (not JSON) and the server's 413 (past the body limit) are typed as
            // routing and the readers type them; the message says which media type or limit.
            BadHttpRequestException bad => (ErrorResponses.For(bad.StatusCode), bad.Message, null),
            _ when StorageFailures.IsUnavailable(exception) => (StorageUnavailable, null, StorageFailures.RetryAfter),
            _ => (new DomainError("internal-error", "An unexpected error occurred.", 500), (string?)null, (TimeSpan?)null),
        };

        if (error.Status >= 500)
        {
            // The caller learns nothing of it; operators must. The route, never the query or body.
            LogUnexpected(logger, exception, httpContext.Request.Method, httpContext.GetEndpoint()?.DisplayName ?? httpContext.Request.Path.Value ?? "");
        }

        httpContext.Response.StatusCode = error.Status;
        if (retryAfter is { } wait)
        {
            httpContext.Response.SetRetryAfter(wait);
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = error.Status,
                Title = error.Title,
                Type = ErrorResponses.TypePrefix + error.Code,
                Detail = detail,
            },
        }).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected error on {Method} {Endpoint}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, string endpoint);
}
