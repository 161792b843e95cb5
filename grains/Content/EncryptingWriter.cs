using System.Buffers;
using System.Security.Cryptography;

namespace MonEspaceSante.Content;

/// <summary>
/// Encrypts plaintext chunk by chunk into a store writer while hashing it (SHA-256) and
/// counting it. Only one chunk is held in memory. The last chunk is sealed on <see cref="CompleteAsync"/>.
/// </summary>
public sealed class EncryptingWriter : IAsyncDisposable
{
    private readonly IContentWriter target;
    private readonly AesGcm aes;
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    // Pooled: two fresh 64 KiB arrays per upload were zeroed, then collected, on every request.
    // The plaintext one is cleared on return, so no health data lingers in the shared pool.
    private readonly byte[] plain = ArrayPool<byte>.Shared.Rent(ContentCipher.ChunkSize);
    private readonly byte[] sealedChunk = ArrayPool<byte>.Shared.Rent(ContentCipher.ChunkSize + ContentCipher.TagSize);
    private readonly byte[] nonce = new byte[12];
    private int buffered;
    private long chunkIndex;
    private bool headerWritten;

    public EncryptingWriter(IContentWriter target, ReadOnlySpan<byte> dataKey, string contentKey)
    {
        this.target = target;
        aes = new AesGcm(ContentCipher.ObjectKey(dataKey, contentKey), ContentCipher.TagSize);
    }

    public long Length { get; private set; }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        hash.AppendData(data.Span);
        Length += data.Length;
        while (data.Length > 0)
        {
            // A full chunk is sealed only when more data arrives, so the last one can carry the final flag.
            if (buffered == ContentCipher.ChunkSize)
            {
                await SealAsync(final: false, cancellationToken).ConfigureAwait(false);
            }

            var take = Math.Min(data.Length, ContentCipher.ChunkSize - buffered);
            data.Span[..take].CopyTo(plain.AsSpan(buffered));
            buffered += take;
            data = data[take..];
        }
    }

    /// <summary>Seals the last chunk, completes the object and returns the plaintext's SHA-256 (lowercase hex).</summary>
    public async Task<string> CompleteAsync(CancellationToken cancellationToken)
    {
        if (Length == 0)
        {
            throw new InvalidOperationException("Empty content is never stored.");
        }

        await SealAsync(final: true, cancellationToken).ConfigureAwait(false);
        await target.CompleteAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public async ValueTask DisposeAsync()
    {
        aes.Dispose();
        hash.Dispose();
        ArrayPool<byte>.Shared.Return(plain, clearArray: true);
        ArrayPool<byte>.Shared.Return(sealedChunk);
        await target.DisposeAsync().ConfigureAwait(false);
    }

    private async Task SealAsync(bool final, CancellationToken cancellationToken)
    {
        if (!headerWritten)
        {
            await target.WriteAsync(ContentCipher.Header(), cancellationToken).ConfigureAwait(false);
            headerWritten = true;
        }

        ContentCipher.Nonce(nonce, chunkIndex);
        aes.Encrypt(nonce, plain.AsSpan(0, buffered), sealedChunk.AsSpan(0, buffered), sealedChunk.AsSpan(buffered, ContentCipher.TagSize), ContentCipher.AssociatedData(final));
        await target.WriteAsync(sealedChunk.AsMemory(0, buffered + ContentCipher.TagSize), cancellationToken).ConfigureAwait(false);
        chunkIndex++;
        buffered = 0;
    }
}
