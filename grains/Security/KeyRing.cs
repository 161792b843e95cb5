using System.Security.Cryptography;
using System.Text;

namespace MonEspaceSante.Security;

/// <summary>
/// Derives the silo's purpose-specific keys (HKDF-SHA256) from one master key held in a key
/// file (a KMS/HSM in production). Each purpose has its own key so that, say, the key that
/// seals outgoing codes cannot forge lookup hashes.
/// </summary>
public sealed class KeyRing
{
    private readonly byte[] master;

    public KeyRing(byte[] masterKey)
    {
        ArgumentNullException.ThrowIfNull(masterKey);
        if (masterKey.Length < 32)
        {
            throw new ArgumentException("The master key must be at least 256 bits.", nameof(masterKey));
        }

        master = masterKey;
        LookupKey = Derive("lookup-index");
        CodeKey = Derive("activation-code");
        SealKey = Derive("seal");
        WrapKey = Derive("data-key-wrap");
        HistoryKey = Derive("access-history-chain");
    }

    /// <summary>Keys the hashes of NIRs and e-mail addresses in the directory.</summary>
    public byte[] LookupKey { get; }

    /// <summary>Keys the hashes of activation codes, one-time codes and proof tokens.</summary>
    public byte[] CodeKey { get; }

    /// <summary>Encrypts secrets waiting in the job queue (codes to send).</summary>
    public byte[] SealKey { get; }

    /// <summary>Wraps each patient space's data key (envelope encryption of document content).</summary>
    public byte[] WrapKey { get; }

    /// <summary>Keys the access history's hash chain, so the database alone cannot forge it.</summary>
    public byte[] HistoryKey { get; }

    /// <summary>Reads the key file, creating it (0600) with a fresh random key when <paramref name="createIfMissing"/>.</summary>
    public static KeyRing FromFile(string path, bool createIfMissing)
    {
        if (!File.Exists(path))
        {
            if (!createIfMissing)
            {
                throw new FileNotFoundException("The master key file is missing.", path);
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var fresh = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(path, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(fresh);
            }
        }

        return new KeyRing(Convert.FromBase64String(File.ReadAllText(path).Trim()));
    }

    public string LookupHash(string kind, string value) => Hash(LookupKey, kind + ":" + value);

    /// <summary>
    /// <see cref="LookupHash"/> for bulk paths: a hasher holding one keyed HMAC context,
    /// reused for every value instead of setting the key up again per hash. Not thread-safe.
    /// </summary>
    public KeyedHasher CreateLookupHasher() => new(LookupKey);

    /// <summary><see cref="CodeHash"/> for bulk paths (see <see cref="CreateLookupHasher"/>).</summary>
    public KeyedHasher CreateCodeHasher() => new(CodeKey);

    public string CodeHash(string scope, string value) => Hash(CodeKey, scope + ":" + value);

    /// <summary>Constant-time comparison of a candidate against a stored keyed hash.</summary>
    public bool CodeMatches(string scope, string candidate, string? storedHash) =>
        storedHash is not null && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(CodeHash(scope, candidate)), Encoding.ASCII.GetBytes(storedHash));

    private byte[] Derive(string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, master, 32, salt: [], info: Encoding.UTF8.GetBytes("monespacesante:" + purpose));

    private static string Hash(byte[] key, string value) =>
        Convert.ToHexString(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(value)));
}
