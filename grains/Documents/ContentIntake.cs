using System.Buffers;
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
        // Pooled, and cleared on return: it holds the document's plaintext.
        var buffer = ArrayPool<byte>.Shared.Rent(ReadBlock);
        try
        {
            return await StoreAsync(store, content, dataKey, contentKey, maxSize, buffer.AsMemory(0, ReadBlock), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }

    private static async Task<(DocumentFormat Format, long Size, string Sha256)> StoreAsync(IContentStore store, UploadContent content, byte[] dataKey, string contentKey, long maxSize, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var headLength = await content.Stream.ReadAtLeastAsync(buffer[..FormatInspector.HeadSize], FormatInspector.HeadSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (headLength == 0)
        {
            throw new DomainException(DomainError.EmptyContent);
        }

        var inspector = new FormatInspector();
        var format = inspector.Recognise(buffer.Span[..headLength]);
        if (format is null || !ContentTypes.Agrees(content.DeclaredContentType, format.Value))
        {
            throw new DomainException(DomainError.UnsupportedFormat, format is null
                ? "The content is not one of the accepted formats."
                : $"The content is {format} but was declared as {content.DeclaredContentType}.");
        }

        await using var writer = new EncryptingWriter(await store.CreateAsync(contentKey, cancellationToken).ConfigureAwait(false), dataKey, contentKey);
        var block = buffer[..headLength];
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

            block = buffer[..read];
        }

        if (!inspector.Check([], final: true))
        {
            throw new DomainException(DomainError.UnsupportedFormat, $"The content is not valid {format}.");
        }

        var sha256 = await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        return (format.Value, writer.Length, sha256);
    }
}
