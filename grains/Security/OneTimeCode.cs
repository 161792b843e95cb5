using System.Globalization;
using System.Security.Cryptography;

namespace MonEspaceSante.Security;

/// <summary>Random tokens and short numeric codes.</summary>
public static class OneTimeCode
{
    /// <summary>Six digits for the e-mailed second factor (tried at most a few times, then void).</summary>
    public static string NewDigits() => RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>256-bit URL-safe token (bearer tokens, proof tokens).</summary>
    public static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Sha256(string token) => Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));
}
