using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace MonEspaceSante.Content;

/// <summary>
/// The layout of an encrypted object: a 12-byte header ("MESC", version, chunk size) then the
/// plaintext in chunks of <see cref="ChunkSize"/> bytes, each sealed with AES-256-GCM and
/// followed by its 16-byte tag. Each object has its own key, derived (HKDF) from the patient's
/// data key and the object's key, so nonces are simply the chunk index and a chunk can neither
/// move to another object nor to another place in this one. The last chunk is sealed with a
/// "final" flag in its associated data, so a truncated object fails instead of reading short.
/// Written by hand because no library in the registry offers streaming AEAD with random access.
/// </summary>
public static class ContentCipher
{
    public const int ChunkSize = 64 * 1024;
    public const int TagSize = 16;
    public const int HeaderSize = 12;
    private const byte Version = 1;
    private static readonly byte[] Magic = "MESC"u8.ToArray();

    public static byte[] Header()
    {
        var header = new byte[HeaderSize];
        Magic.CopyTo(header, 0);
        header[4] = Version;
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(8), ChunkSize);
        return header;
    }

    public static void CheckHeader(ReadOnlySpan<byte> header)
    {
        if (header.Length < HeaderSize || !header[..4].SequenceEqual(Magic) || header[4] != Version || header[5..8].ContainsAnyExcept((byte)0) || BinaryPrimitives.ReadInt32BigEndian(header[8..]) != ChunkSize)
        {
            throw new ContentIntegrityException("The stored object does not start with a known header.");
        }
    }

    public static byte[] ObjectKey(ReadOnlySpan<byte> dataKey, string contentKey) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, dataKey.ToArray(), 32, salt: [], info: Encoding.UTF8.GetBytes("monespacesante:content:" + contentKey));

    public static void Nonce(Span<byte> nonce, long chunkIndex)
    {
        nonce.Clear();
        BinaryPrimitives.WriteInt64BigEndian(nonce[4..], chunkIndex);
    }

    public static ReadOnlySpan<byte> AssociatedData(bool final) => final ? [1] : [0];

    /// <summary>Where chunk <paramref name="index"/> starts in the stored object.</summary>
    public static long ChunkOffset(long index) => HeaderSize + (index * (ChunkSize + TagSize));

    /// <summary>The size of the stored object for a plaintext of <paramref name="length"/> bytes (at least one byte).</summary>
    public static long StoredLength(long length) => HeaderSize + length + (((length + ChunkSize - 1) / ChunkSize) * TagSize);
}

/// <summary>Stored content that failed authentication, or whose plaintext does not match its recorded hash.</summary>
public sealed class ContentIntegrityException(string message) : Exception(message);
