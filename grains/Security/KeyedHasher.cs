using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace MonEspaceSante.Security;

/// <summary>
/// Computes the same keyed hashes as <see cref="KeyRing.LookupHash"/> and <see cref="KeyRing.CodeHash"/>
/// (upper-case hex of HMAC-SHA256 over UTF-8 "scope:value") while keeping one HMAC context:
/// the one-shot API sets the key up again on every call, which bulk imports pay millions of times.
/// One instance per thread.
/// </summary>
public sealed class KeyedHasher : IDisposable
{
    private const int HashBytes = 32;
    private readonly IncrementalHash hmac;

    internal KeyedHasher(byte[] key) => hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);

    public string Hash(string scope, ReadOnlySpan<char> value)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var length = Encoding.UTF8.GetMaxByteCount(scope.Length + 1 + value.Length);
        byte[]? rented = null;
        var bytes = length <= 512 ? stackalloc byte[length] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            // Encoding the parts one after the other gives the bytes of the concatenated string:
            // the separator is ASCII, so no character is split across the parts.
            var n = Encoding.UTF8.GetBytes(scope, bytes);
            bytes[n++] = (byte)':';
            n += Encoding.UTF8.GetBytes(value, bytes[n..]);
            hmac.AppendData(bytes[..n]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        Span<byte> hash = stackalloc byte[HashBytes];
        hmac.GetHashAndReset(hash);
        return Convert.ToHexString(hash);
    }

    public void Dispose() => hmac.Dispose();
}
