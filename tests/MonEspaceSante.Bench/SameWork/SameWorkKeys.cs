using System.Security.Cryptography;
using System.Text;

namespace MonEspaceSante.Bench.SameWork;

/// <summary>
/// The same-work server's keys: a master key held in memory, from which a wrapping key (for the
/// data keys stored beside each space and each message) and the access history's HMAC key are
/// derived, as the platform derives its own purpose keys; the database never holds either.
/// </summary>
internal sealed class SameWorkKeys
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly byte[] wrapKey;

    public SameWorkKeys()
    {
        var master = RandomNumberGenerator.GetBytes(32);
        wrapKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, master, 32, salt: [], info: "same-work:wrap"u8.ToArray());
        HistoryKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, master, 32, salt: [], info: "same-work:access-history"u8.ToArray());
        LookupKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, master, 32, salt: [], info: "same-work:lookup"u8.ToArray());
    }

    /// <summary>Keys the access history's hash chain, so that whoever can write the table cannot forge it.</summary>
    public byte[] HistoryKey { get; }

    /// <summary>Keys the NIR's hash by which a space is found: the NIR itself is stored nowhere.</summary>
    public byte[] LookupKey { get; }

    public string NirHash(string nir) => Convert.ToHexStringLower(HMACSHA256.HashData(LookupKey, Encoding.UTF8.GetBytes(nir)));

    /// <summary>AES-256-GCM over a data key, bound to its owner ("space:…", "message:…") so it cannot be moved to another.</summary>
    public string Wrap(string owner, ReadOnlySpan<byte> dataKey)
    {
        var output = new byte[NonceSize + TagSize + dataKey.Length];
        RandomNumberGenerator.Fill(output.AsSpan(0, NonceSize));
        using var aes = new AesGcm(wrapKey, TagSize);
        aes.Encrypt(output.AsSpan(0, NonceSize), dataKey, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), Encoding.ASCII.GetBytes(owner));
        return Convert.ToBase64String(output);
    }

    public byte[] Unwrap(string owner, string wrapped)
    {
        var input = Convert.FromBase64String(wrapped);
        var key = new byte[input.Length - NonceSize - TagSize];
        using var aes = new AesGcm(wrapKey, TagSize);
        aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize + TagSize), input.AsSpan(NonceSize, TagSize), key, Encoding.ASCII.GetBytes(owner));
        return key;
    }
}
