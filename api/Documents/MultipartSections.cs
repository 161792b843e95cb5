using Microsoft.AspNetCore.WebUtilities;
using MonEspaceSante.Errors;

namespace MonEspaceSante.Api.Documents;

/// <summary>The next part of a multipart body, for the upload and message readers.</summary>
public static class MultipartSections
{
    /// <summary>
    /// The next part, or null after the last. A part whose headers cannot be read (a line break
    /// inside a quoted file name, a header line without a colon, headers past the reader's limits)
    /// is the client's error, not the server's: <see cref="MultipartReader"/> reports it as an
    /// <see cref="InvalidDataException"/>, answered here as <see cref="DomainError.MalformedMultipart"/>
    /// without echoing the offending line back.
    /// </summary>
    public static async Task<MultipartSection?> NextPartAsync(this MultipartReader reader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        try
        {
            return await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DomainException(DomainError.MalformedMultipart,
                "Each part's headers must be 'Name: value' lines; a quoted value such as a file name may not hold a line break (send it as filename* instead).");
        }
    }
}
