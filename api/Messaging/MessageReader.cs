using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using MonEspaceSante.Api.Documents;
using MonEspaceSante.Documents;
using MonEspaceSante.Errors;
using MonEspaceSante.Messaging;

namespace MonEspaceSante.Api.Messaging;

/// <summary>A message as received, with its attachments buffered (and disposed with it).</summary>
public sealed class ReceivedMessage(OutgoingMessage message, IReadOnlyList<AttachmentUpload> attachments, IReadOnlyList<IAsyncDisposable> buffers) : IAsyncDisposable
{
    public OutgoingMessage Message => message;

    public IReadOnlyList<AttachmentUpload> Attachments => attachments;

    public async ValueTask DisposeAsync()
    {
        foreach (var buffer in buffers)
        {
            await buffer.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>
/// Reads a message: JSON for text only, or <c>multipart/form-data</c> with a <c>message</c>
/// part (JSON) and any number of <c>attachment</c> parts. A message's attachments reach the
/// mailbox together, so each is buffered as it arrives, in memory up to 1 MiB and beyond that
/// in a temporary file deleted on close (ASP.NET Core's FileBufferingReadStream), never beyond
/// the attachment limits.
/// </summary>
public static class MessageReader
{
    private const int MaxMessageBytes = 256 * 1024;
    private const int MemoryThreshold = 1024 * 1024;

    public static async Task<ReceivedMessage> ReadAsync(HttpContext http, MessagingOptions limits)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(limits);
        var request = http.Request;
        var maxBody = limits.MaxAttachmentsTotal + MaxMessageBytes + (limits.MaxAttachments * 4096L);
        if (request.ContentLength > maxBody)
        {
            throw new DomainException(DomainError.ContentTooLarge, $"Attachments may total at most {limits.MaxAttachmentsTotal} bytes.");
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = maxBody;
        }

        var options = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType))
        {
            throw new DomainException(DomainError.InvalidRequest, "Send application/json, or multipart/form-data with a 'message' part and 'attachment' parts.");
        }

        if (string.Equals(mediaType.MediaType.Value, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            return new ReceivedMessage(await ReadJsonAsync(request.Body, options, http.RequestAborted).ConfigureAwait(false), [], []);
        }

        if (!string.Equals(mediaType.MediaType.Value, "multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 and <= 70 } boundary)
        {
            throw new DomainException(DomainError.InvalidRequest, "Send application/json, or multipart/form-data with a 'message' part and 'attachment' parts.");
        }

        var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024, BodyLengthLimit = limits.MaxAttachmentSize + 1 };
        var first = await reader.NextPartAsync(http.RequestAborted).ConfigureAwait(false);
        if (first is null || NameOf(first) != "message")
        {
            throw new DomainException(DomainError.InvalidRequest, "The first part must be 'message' (JSON).");
        }

        var message = await ReadJsonAsync(first.Body, options, http.RequestAborted).ConfigureAwait(false);
        var attachments = new List<AttachmentUpload>();
        var buffers = new List<IAsyncDisposable>();
        try
        {
            while (await reader.NextPartAsync(http.RequestAborted).ConfigureAwait(false) is { } section)
            {
                if (NameOf(section) != "attachment")
                {
                    throw new DomainException(DomainError.InvalidRequest, "After 'message', only 'attachment' parts.");
                }

                if (attachments.Count == limits.MaxAttachments)
                {
                    throw new DomainException(DomainError.InvalidRequest, $"At most {limits.MaxAttachments} attachments.");
                }

                var buffer = new FileBufferingReadStream(section.Body, MemoryThreshold, limits.MaxAttachmentSize, Path.GetTempPath());
                buffers.Add(buffer);
                try
                {
                    await buffer.DrainAsync(http.RequestAborted).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is IOException or InvalidDataException && !http.RequestAborted.IsCancellationRequested)
                {
                    // The buffer's limit, or the multipart section's, was passed.
                    throw new DomainException(DomainError.ContentTooLarge, $"An attachment may be at most {limits.MaxAttachmentSize} bytes.");
                }

                buffer.Position = 0;
                var disposition = section.GetContentDispositionHeader();
                var fileName = HeaderUtilities.RemoveQuotes(disposition?.FileNameStar.HasValue == true ? disposition.FileNameStar : disposition?.FileName ?? default).Value;
                attachments.Add(new AttachmentUpload(string.IsNullOrWhiteSpace(fileName) ? null : Path.GetFileName(fileName), new UploadContent(buffer, section.ContentType, buffer.Length)));
            }
        }
        catch
        {
            foreach (var buffer in buffers)
            {
                await buffer.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }

        return new ReceivedMessage(message, attachments, buffers);
    }

    private static async Task<OutgoingMessage> ReadJsonAsync(Stream body, JsonSerializerOptions options, CancellationToken cancellationToken) =>
        await JsonPart.ReadAsync<OutgoingMessage>(body, MaxMessageBytes, options, "message",
            new DomainException(DomainError.ContentTooLarge, "The message part is too large."), cancellationToken).ConfigureAwait(false)
        ?? throw new DomainException(DomainError.InvalidRequest, "The message is empty.");

    private static string? NameOf(MultipartSection section) =>
        HeaderUtilities.RemoveQuotes(section.GetContentDispositionHeader()?.Name ?? default).Value;
}
