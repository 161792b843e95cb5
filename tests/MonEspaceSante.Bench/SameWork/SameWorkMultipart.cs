using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace MonEspaceSante.Bench.SameWork;

/// <summary>The platform's request shape: a JSON part, then one file part streamed, never held whole.</summary>
internal static class SameWorkMultipart
{
    public static MultipartReader? Open(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
        && HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is { Length: > 0 } boundary
            ? new MultipartReader(boundary, request.Body)
            : null;

    /// <summary>The next part if it is a form field holding JSON, parsed; otherwise null.</summary>
    public static async Task<JsonDocument?> ReadJsonAsync(MultipartReader reader, CancellationToken cancellationToken)
    {
        if (await reader.ReadNextSectionAsync(cancellationToken) is not { } section || section.GetContentDispositionHeader() is not { } disposition || disposition.IsFileDisposition())
        {
            return null;
        }

        try
        {
            return await JsonDocument.ParseAsync(section.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The next part if it is a file: its body (to stream) and its file name; otherwise null.</summary>
    public static async Task<(Stream Body, string? FileName)?> NextFileAsync(MultipartReader reader, CancellationToken cancellationToken) =>
        await reader.ReadNextSectionAsync(cancellationToken) is { } section && section.GetContentDispositionHeader() is { } disposition && disposition.IsFileDisposition()
            ? (section.Body, disposition.FileName.Value)
            : null;

    public static string? Text(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
