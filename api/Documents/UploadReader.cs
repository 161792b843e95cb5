using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using MonEspaceSante.Documents;
using MonEspaceSante.Errors;

namespace MonEspaceSante.Api.Documents;

/// <summary>An upload as received: the declared metadata and the content still streaming in.</summary>
public sealed record Upload<T>(T Metadata, UploadContent Content, string? FileName);

/// <summary>
/// Reads a <c>multipart/form-data</c> upload as a stream: a <c>metadata</c> part (JSON) first,
/// then a <c>content</c> part that is handed on unread, so the content is never buffered whole.
/// (IFormFile would buffer it to disk first.)
/// </summary>
public static class UploadReader
{
    private const int MaxMetadataBytes = 64 * 1024;
    private const long MultipartOverhead = 1024 * 1024;

    public static async Task<Upload<T>> ReadAsync<T>(HttpContext http, long maxContentSize)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(http);
        var request = http.Request;
        if (request.ContentLength > maxContentSize + MultipartOverhead)
        {
            throw new DomainException(DomainError.ContentTooLarge, $"The limit is {maxContentSize} bytes.");
        }

        // The server-wide default (about 28 MiB) is below the document limit; this request may carry up to the limit.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = maxContentSize + MultipartOverhead;
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !string.Equals(mediaType.MediaType.Value, "multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 and <= 70 } boundary)
        {
            throw new DomainException(DomainError.InvalidRequest, "Send multipart/form-data with a 'metadata' part (JSON) followed by a 'content' part.");
        }

        var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024, BodyLengthLimit = maxContentSize + MultipartOverhead };
        var metadataSection = await reader.NextPartAsync(http.RequestAborted).ConfigureAwait(false);
        if (metadataSection is null || NameOf(metadataSection) != "metadata")
        {
            throw new DomainException(DomainError.InvalidRequest, "The first part must be 'metadata' (JSON).");
        }

        var options = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var metadata = await JsonPart.ReadAsync<T>(metadataSection.Body, MaxMetadataBytes, options, "metadata",
            new DomainException(DomainError.InvalidRequest, "The metadata part is too large."), http.RequestAborted).ConfigureAwait(false);
        if (metadata is null)
        {
            throw new DomainException(DomainError.InvalidRequest, "The metadata part is empty.");
        }

        var contentSection = await reader.NextPartAsync(http.RequestAborted).ConfigureAwait(false);
        if (contentSection is null || NameOf(contentSection) != "content")
        {
            throw new DomainException(DomainError.EmptyContent, "The second part must be 'content' (the document).");
        }

        var disposition = contentSection.GetContentDispositionHeader();
        var fileName = HeaderUtilities.RemoveQuotes(disposition?.FileNameStar.HasValue == true ? disposition.FileNameStar : disposition?.FileName ?? default).Value;
        return new Upload<T>(metadata, new UploadContent(contentSection.Body, contentSection.ContentType, null), string.IsNullOrWhiteSpace(fileName) ? null : Path.GetFileName(fileName));
    }

    private static string? NameOf(MultipartSection section) =>
        HeaderUtilities.RemoveQuotes(section.GetContentDispositionHeader()?.Name ?? default).Value;
}
