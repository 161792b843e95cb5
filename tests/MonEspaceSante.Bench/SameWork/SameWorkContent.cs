using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace MonEspaceSante.Bench.SameWork;

/// <summary>
/// Content in, as the rules require it stored: SHA-256 over the plaintext, AES-256-GCM in 64 KiB
/// chunks under a key derived (HKDF) from the owner's data key and the object's key, nonce the
/// chunk index, the last chunk flagged in its associated data, each chunk followed by its tag,
/// after a 12-byte header: the platform's layout, so the cipher work is the same byte for byte.
/// The object goes to a <c>.part</c> file in one of 256 bucket folders (the first byte of the
/// key's SHA-256) and is renamed into place when complete, so no reader sees half an object.
/// </summary>
internal sealed class SameWorkContent(string root)
{
    public const int ChunkSize = 64 * 1024;
    private const int TagSize = 16;
    private const int Buckets = 256;
    private static readonly byte[] Header = [(byte)'M', (byte)'E', (byte)'S', (byte)'C', 1, 0, 0, 0, 0, 1, 0, 0];

    /// <summary>Which bucket folders exist already: each is created once per process.</summary>
    private readonly bool[] created = new bool[Buckets];

    /// <summary>Stores <paramref name="body"/> under <paramref name="key"/>; returns its plaintext size and SHA-256 (lowercase hex), or size 0 for an empty body (nothing stored).</summary>
    public async Task<(long Size, string Sha256)> StoreAsync(Stream body, byte[] dataKey, string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        // Pooled as the platform's are; the plaintext buffers are cleared on return.
        var plain = ArrayPool<byte>.Shared.Rent(ChunkSize);
        var next = ArrayPool<byte>.Shared.Rent(ChunkSize);
        var sealedChunk = ArrayPool<byte>.Shared.Rent(ChunkSize + TagSize);
        try
        {
            var filled = await body.ReadAtLeastAsync(plain.AsMemory(0, ChunkSize), ChunkSize, throwOnEndOfStream: false, cancellationToken);
            if (filled == 0)
            {
                return (0, "");
            }

            using var aes = new AesGcm(HKDF.DeriveKey(HashAlgorithmName.SHA256, dataKey, 32, salt: [], info: Encoding.UTF8.GetBytes("same-work:content:" + key)), TagSize);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var nonce = new byte[12];
            long size = 0;
            long index = 0;
            // Written synchronously, as the platform's file-system store does: on Linux an
            // "asynchronous" file write is a blocking write on a pool thread, one hop per chunk.
            using (var file = new FileStream(path + ".part", FileMode.Create, FileAccess.Write, FileShare.None, 0))
            {
                file.Write(Header);
                while (true)
                {
                    hash.AppendData(plain.AsSpan(0, filled));
                    size += filled;
                    // A full chunk is sealed once the next one is read, so the last can carry the final flag.
                    var more = filled == ChunkSize
                        ? await body.ReadAtLeastAsync(next.AsMemory(0, ChunkSize), ChunkSize, throwOnEndOfStream: false, cancellationToken)
                        : 0;
                    Array.Clear(nonce);
                    BinaryPrimitives.WriteInt64BigEndian(nonce.AsSpan(4), index++);
                    aes.Encrypt(nonce, plain.AsSpan(0, filled), sealedChunk.AsSpan(0, filled), sealedChunk.AsSpan(filled, TagSize), more == 0 ? [1] : [0]);
                    file.Write(sealedChunk, 0, filled + TagSize);
                    if (more == 0)
                    {
                        break;
                    }

                    (plain, next) = (next, plain);
                    filled = more;
                }
            }

            File.Move(path + ".part", path, overwrite: false);
            return (size, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(plain, clearArray: true);
            ArrayPool<byte>.Shared.Return(next, clearArray: true);
            ArrayPool<byte>.Shared.Return(sealedChunk);
        }
    }

    /// <summary>Removes an object whose rows were never committed (a refusal or a failure after the write).</summary>
    public void Delete(string key)
    {
        var path = PathOf(key);
        File.Delete(path);
        File.Delete(path + ".part");
    }

    /// <summary>How many objects were stored: the verification counts them against the rows.</summary>
    public int Count() => Directory.Exists(root) ? Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Count(f => !f.EndsWith(".part", StringComparison.Ordinal)) : 0;

    private string PathOf(string key)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), digest);
        var bucket = digest[0];
        var folder = Path.Combine(root, bucket.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        if (!created[bucket])
        {
            Directory.CreateDirectory(folder);
            created[bucket] = true;
        }

        return Path.Combine(folder, key.Replace('/', '~'));
    }
}
