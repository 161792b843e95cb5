using System.Security.Cryptography;
using System.Text;
using MonEspaceSante.Security;

namespace MonEspaceSante.Content;

/// <summary>
/// Envelope encryption: each patient space has its own random 256-bit data key, stored only
/// wrapped (AES-256-GCM) by a key derived from the master key, bound to the space's id so a
/// wrapped key copied to another space does not open. Deleting the wrapped key (purge) makes
/// every copy of that patient's content unreadable, backups included.
/// </summary>
public sealed class DataKeys(KeyRing keys)
{
    private const string Prefix = "v1:";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public static byte[] NewDataKey() => RandomNumberGenerator.GetBytes(32);

    public string Wrap(Guid spaceId, ReadOnlySpan<byte> dataKey) => Wrap("space:" + spaceId.ToString(), dataKey);

    public byte[] Unwrap(Guid spaceId, string wrapped) => Unwrap("space:" + spaceId.ToString(), wrapped);

    /// <summary>Wraps a key bound to any owner (<c>message:{id}</c> for a message's attachments).</summary>
    public string Wrap(string owner, ReadOnlySpan<byte> dataKey)
    {
        var output = new byte[NonceSize + TagSize + dataKey.Length];
        RandomNumberGenerator.Fill(output.AsSpan(0, NonceSize));
        using var aes = new AesGcm(keys.WrapKey, TagSize);
        aes.Encrypt(output.AsSpan(0, NonceSize), dataKey, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), Bind(owner));
        return Prefix + Convert.ToBase64String(output);
    }

    public byte[] Unwrap(string owner, string wrapped)
    {
        ArgumentNullException.ThrowIfNull(wrapped);
        if (!wrapped.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new CryptographicException("Unknown data key format.");
        }

        var input = Convert.FromBase64String(wrapped[Prefix.Length..]);
        var key = new byte[input.Length - NonceSize - TagSize];
        using var aes = new AesGcm(keys.WrapKey, TagSize);
        aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize + TagSize), input.AsSpan(NonceSize, TagSize), key, Bind(owner));
        return key;
    }

    private static byte[] Bind(string owner) => Encoding.ASCII.GetBytes(owner);
}
