using System.Security.Cryptography;

namespace MonEspaceSante.Content;

/// <summary>
/// The plaintext of an encrypted object as a read-only, seekable stream: each chunk is
/// authenticated before a byte of it is returned, and a seek re-opens the object at the chunk
/// holding the new position, so a Range request reads only what it needs. A read from the
/// first byte to the last also checks the whole plaintext against its recorded SHA-256.
/// </summary>
public sealed class DecryptingStream : Stream
{
    private readonly IContentStore store;
    private readonly string contentKey;
    private readonly long length;
    private readonly string expectedSha256;
    private readonly AesGcm aes;
    private readonly byte[] sealedChunk = new byte[ContentCipher.ChunkSize + ContentCipher.TagSize];
    private readonly byte[] plain = new byte[ContentCipher.ChunkSize];
    private readonly byte[] nonce = new byte[12];
    private readonly long lastChunk;
    private Stream? source;
    private long sourceChunk = -1;   // the chunk the source stream is positioned at
    private long loadedChunk = -1;   // the chunk held in `plain`
    private int loadedLength;
    private long position;
    private IncrementalHash? hash;   // only while reading sequentially from the start
    private long hashedUpTo;

    private DecryptingStream(IContentStore store, string contentKey, ReadOnlySpan<byte> dataKey, long length, string expectedSha256)
    {
        this.store = store;
        this.contentKey = contentKey;
        this.length = length;
        this.expectedSha256 = expectedSha256;
        lastChunk = (length - 1) / ContentCipher.ChunkSize;
        aes = new AesGcm(ContentCipher.ObjectKey(dataKey, contentKey), ContentCipher.TagSize);
        hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    }

    /// <summary>Opens the object and authenticates its first chunk, so a damaged object fails before anything is sent.</summary>
    public static async Task<DecryptingStream> OpenAsync(IContentStore store, string contentKey, ReadOnlyMemory<byte> dataKey, long length, string sha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (length <= 0)
        {
            throw new ContentIntegrityException("Recorded length is not positive.");
        }

        var stream = new DecryptingStream(store, contentKey, dataKey.Span, length, sha256);
        try
        {
            await stream.LoadChunkAsync(0, cancellationToken).ConfigureAwait(false);
            return stream;
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => position + offset,
            _ => length + offset,
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        if (target != hashedUpTo)
        {
            // Not a straight read from the start any more: the per-chunk tags still protect every byte.
            hash?.Dispose();
            hash = null;
        }

        position = target;
        return position;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (position >= length || buffer.Length == 0)
        {
            return 0;
        }

        var chunk = position / ContentCipher.ChunkSize;
        if (chunk != loadedChunk)
        {
            await LoadChunkAsync(chunk, cancellationToken).ConfigureAwait(false);
        }

        var within = (int)(position - (chunk * ContentCipher.ChunkSize));
        var count = Math.Min(buffer.Length, loadedLength - within);
        plain.AsSpan(within, count).CopyTo(buffer.Span);
        if (hash is not null && position == hashedUpTo)
        {
            hash.AppendData(plain.AsSpan(within, count));
            hashedUpTo += count;
            if (hashedUpTo == length)
            {
                var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
                hash.Dispose();
                hash = null;
                if (!string.Equals(actual, expectedSha256, StringComparison.Ordinal))
                {
                    throw new ContentIntegrityException("The content does not match its recorded SHA-256.");
                }
            }
        }

        position += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            source?.Dispose();
            aes.Dispose();
            hash?.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (source is not null)
        {
            await source.DisposeAsync().ConfigureAwait(false);
            source = null;
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    private async Task LoadChunkAsync(long chunk, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunk, lastChunk);

        if (source is null || sourceChunk != chunk)
        {
            if (source is not null)
            {
                await source.DisposeAsync().ConfigureAwait(false);
            }

            if (chunk == 0)
            {
                source = await store.OpenReadAsync(contentKey, 0, cancellationToken).ConfigureAwait(false);
                var header = new byte[ContentCipher.HeaderSize];
                await source.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                ContentCipher.CheckHeader(header);
            }
            else
            {
                source = await store.OpenReadAsync(contentKey, ContentCipher.ChunkOffset(chunk), cancellationToken).ConfigureAwait(false);
            }

            sourceChunk = chunk;
        }

        var plainLength = chunk == lastChunk ? (int)(length - (chunk * ContentCipher.ChunkSize)) : ContentCipher.ChunkSize;
        var stored = plainLength + ContentCipher.TagSize;
        var read = await source.ReadAtLeastAsync(sealedChunk.AsMemory(0, stored), stored, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (read != stored)
        {
            throw new ContentIntegrityException("The stored object is shorter than its recorded length.");
        }

        ContentCipher.Nonce(nonce, chunk);
        try
        {
            aes.Decrypt(nonce, sealedChunk.AsSpan(0, plainLength), sealedChunk.AsSpan(plainLength, ContentCipher.TagSize), plain.AsSpan(0, plainLength), ContentCipher.AssociatedData(chunk == lastChunk));
        }
        catch (AuthenticationTagMismatchException)
        {
            loadedChunk = -1;
            throw new ContentIntegrityException($"Chunk {chunk} of the stored object failed authentication.");
        }

        loadedChunk = chunk;
        loadedLength = plainLength;
        sourceChunk = chunk + 1;
    }
}
