using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

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
            var (name, type) = Parameter(http, failed.Groups["name"].Value);
            return $"{name} {Expected(type)}.";
        }

        if (NotProvided().Match(exception.Message) is { Success: true } missing)
        {
            return $"{missing.Groups["name"].Value} is required ({missing.Groups["source"].Value}).";
        }

        return null;
    }

    /// <summary>
    /// The parameter as the client names it (a query object's property by its query name) and its
    /// type, from the handler's own declaration: minimal APIs keep the handler's method in the
    /// endpoint's metadata. The exception handler runs with the endpoint cleared; the feature it is
    /// given keeps the one that failed.
    /// </summary>
    private static (string Name, Type? Type) Parameter(HttpContext http, string name)
    {
        var parameters = (http.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? http.GetEndpoint())?.Metadata.GetMetadata<MethodInfo>()?.GetParameters() ?? [];
        foreach (var parameter in parameters)
        {
            if (string.Equals(parameter.Name, name, StringComparison.Ordinal))
            {
                return (name, Underlying(parameter.ParameterType));
            }

            if (parameter.GetCustomAttribute<AsParametersAttribute>() is not null)
            {
                foreach (var property in parameter.ParameterType.GetProperties())
                {
                    var queryName = property.GetCustomAttribute<FromQueryAttribute>()?.Name;
                    if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase) || string.Equals(queryName, name, StringComparison.OrdinalIgnoreCase))
                    {
                        return (queryName ?? name, Underlying(property.PropertyType));
                    }
                }
            }
        }

        return (name, null);
    }

    private static Type Underlying(Type type) => Nullable.GetUnderlyingType(type) ?? type;

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
