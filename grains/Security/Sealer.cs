using System.Security.Cryptography;
using System.Text;

namespace MonEspaceSante.Security;

/// <summary>AES-256-GCM for small secrets that must wait in the database (an e-mail carrying a code).</summary>
public sealed class Sealer(KeyRing keys)
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public string Seal(string plaintext)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var data = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceSize + TagSize + data.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(keys.SealKey, TagSize);
        aes.Encrypt(nonce, data, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize));
        return Convert.ToBase64String(output);
    }

    public string Unseal(string sealedText)
    {
        var input = Convert.FromBase64String(sealedText);
        if (input.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("Sealed value is truncated.");
        }

        var data = new byte[input.Length - NonceSize - TagSize];
        using var aes = new AesGcm(keys.SealKey, TagSize);
        aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize + TagSize), input.AsSpan(NonceSize, TagSize), data);
        return Encoding.UTF8.GetString(data);
    }
}
