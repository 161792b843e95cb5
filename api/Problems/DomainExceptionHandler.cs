using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using MonEspaceSante.Errors;

namespace MonEspaceSante.Api.Problems;

/// <summary>Turns grain refusals and malformed requests into problem details; anything else is a 500 without internals.</summary>
public sealed class DomainExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var (error, detail) = exception switch
        {
            DomainException domain => (domain.Error, domain.Detail),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (DomainError.ContentTooLarge, null),
            BadHttpRequestException bad => (new DomainError("bad-request", "The request could not be read.", bad.StatusCode), bad.Message),
            _ => (new DomainError("internal-error", "An unexpected error occurred.", 500), null),
        };

        httpContext.Response.StatusCode = error.Status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = error.Status,
                Title = error.Title,
                Type = Problems.TypePrefix + error.Code,
                Detail = detail,
            },
        }).ConfigureAwait(false);
    }
}
