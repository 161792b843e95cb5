using System.Text.Json;
using System.Text.RegularExpressions;

namespace MonEspaceSante.Api.Problems;

/// <summary>
/// Says what was wrong with a JSON body in the client's terms (the field, the line and position),
/// never in ours: System.Text.Json's messages name our .NET types, which callers need not know.
/// </summary>
public static partial class JsonProblems
{
    public static string Describe(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var where = exception.LineNumber is { } line
            ? $" (line {line + 1}, position {(exception.BytePositionInLine ?? 0) + 1})"
            : "";
        if (UnmappedMember().Match(exception.Message) is { Success: true } unmapped)
        {
            return $"Unknown field '{unmapped.Groups["name"].Value}': this request does not take it{where}.";
        }

        if (MissingRequired().Match(exception.Message) is { Success: true } missing)
        {
            return $"Required field(s) missing: {missing.Groups["names"].Value.TrimEnd('.')}.";
        }

        // Syntax errors come from the reader, wrapped; conversion errors name a path.
        return exception.InnerException is JsonException
            ? $"The body is not valid JSON{where}."
            : $"The value at '{exception.Path ?? "$"}' is not of the expected type{where}.";
    }

    [GeneratedRegex(@"The JSON property '(?<name>[^']*)' could not be mapped", RegexOptions.CultureInvariant)]
    private static partial Regex UnmappedMember();

    [GeneratedRegex(@"missing required properties including: (?<names>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex MissingRequired();
}
