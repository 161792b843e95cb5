using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using MonEspaceSante.Errors;

namespace MonEspaceSante.Api.Problems;

/// <summary>RFC 9457 problem details with a stable <c>type</c> per error code.</summary>
public static class Problems
{
    public const string TypePrefix = "urn:monespacesante:problem:";

    public static ProblemHttpResult From(DomainError error, string? detail = null) =>
        TypedResults.Problem(detail: detail, statusCode: error.Status, title: error.Title, type: TypePrefix + error.Code);

    public static ProblemHttpResult Invalid(string detail) => From(DomainError.InvalidRequest, detail);
}
