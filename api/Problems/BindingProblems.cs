using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace MonEspaceSante.Api.Problems;

/// <summary>
/// A query-string, header or route value the framework could not bind, said in the API's terms:
/// which parameter, and what it accepts (the allowed values of an enum, a date's format), never
/// the .NET type the framework names (<c>Nullable&lt;DocumentStatus&gt;</c>) nor the value sent.
/// </summary>
public static partial class BindingProblems
{
    /// <summary>The problem's detail, or null when the failure is not a parameter's binding.</summary>
    public static string? Describe(BadHttpRequestException exception, HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(http);
        if (FailedToBind().Match(exception.Message) is { Success: true } failed)
        {
            var name = failed.Groups["name"].Value;
            return $"{name} {Expected(ParameterType(http, name))}.";
        }

        if (NotProvided().Match(exception.Message) is { Success: true } missing)
        {
            return $"{missing.Groups["name"].Value} is required ({missing.Groups["source"].Value}).";
        }

        return null;
    }

    /// <summary>
    /// The handler's own declaration of the parameter: minimal APIs keep the handler's method in
    /// the endpoint's metadata. The exception handler runs with the endpoint cleared; the feature
    /// it is given keeps the one that failed.
    /// </summary>
    private static Type? ParameterType(HttpContext http, string name) =>
        (http.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? http.GetEndpoint())?.Metadata.GetMetadata<MethodInfo>()?.GetParameters()
            .FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal)) is { } parameter
            ? Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType
            : null;

    private static string Expected(Type? type) => type switch
    {
        { IsEnum: true } => "must be one of: " + string.Join(", ", Enum.GetNames(type)),
        _ when type == typeof(DateOnly) => "must be a date (YYYY-MM-DD)",
        _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => "must be a date and time (ISO 8601, e.g. 2026-12-01T09:00:00Z)",
        _ when type == typeof(Guid) => "must be an identifier (UUID)",
        _ when type == typeof(bool) => "must be true or false",
        _ when type == typeof(int) || type == typeof(long) => "must be a whole number",
        _ => "is not valid",
    };

    // The framework's wording (Microsoft.AspNetCore.Http.RequestDelegateFactory): the parameter
    // appears as "<type> <name>".
    [GeneratedRegex("^Failed to bind parameter \"(?<type>.+) (?<name>[^ \"]+)\" from \"", RegexOptions.CultureInvariant)]
    private static partial Regex FailedToBind();

    [GeneratedRegex("^Required parameter \"(?<type>.+) (?<name>[^ \"]+)\" was not provided from (?<source>[^.]+)\\.", RegexOptions.CultureInvariant)]
    private static partial Regex NotProvided();
}
