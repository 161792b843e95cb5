using MonEspaceSante.Content;
using MonEspaceSante.Errors;

namespace MonEspaceSante.Documents;

/// <summary>
/// Takes in uploaded content, for documents and message attachments alike: recognises its
/// format from its bytes (refusing a mismatch with the declared type), enforces the size limit
/// while it streams, and writes it encrypted to the content store. Nothing is held whole in memory.
/// </summary>
public static class ContentIntake
{
    private const int ReadBlock = 64 * 1024;

    public static async Task<(DocumentFormat Format, long Size, string Sha256)> StoreAsync(IContentStore store, UploadContent content, byte[] dataKey, string contentKey, long maxSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(content);
        var buffer = new byte[ReadBlock];
        var headLength = await content.Stream.ReadAtLeastAsync(buffer.AsMemory(0, FormatInspector.HeadSize), FormatInspector.HeadSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (headLength == 0)
        {
            throw new DomainException(DomainError.EmptyContent);
        }

        var inspector = new FormatInspector();
        var format = inspector.Recognise(buffer.AsSpan(0, headLength));
        if (format is null || !ContentTypes.Agrees(content.DeclaredContentType, format.Value))
        {
            throw new DomainException(DomainError.UnsupportedFormat, format is null
                ? "The content is not one of the accepted formats."
                : $"The content is {format} but was declared as {content.DeclaredContentType}.");
        }

        await using var writer = new EncryptingWriter(await store.CreateAsync(contentKey, cancellationToken).ConfigureAwait(false), dataKey, contentKey);
        var block = buffer.AsMemory(0, headLength);
        while (true)
        {
            if (writer.Length + block.Length > maxSize)
            {
                throw new DomainException(DomainError.ContentTooLarge, $"The limit is {maxSize} bytes.");
            }

            if (!inspector.Check(block.Span, final: false))
            {
                throw new DomainException(DomainError.UnsupportedFormat, $"The content is not valid {format}.");
            }

            await writer.WriteAsync(block, cancellationToken).ConfigureAwait(false);
            var read = await content.Stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            block = buffer.AsMemory(0, read);
        }

        if (!inspector.Check([], final: true))
        {
            throw new DomainException(DomainError.UnsupportedFormat, $"The content is not valid {format}.");
        }

        var sha256 = await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        return (format.Value, writer.Length, sha256);
    }
}
