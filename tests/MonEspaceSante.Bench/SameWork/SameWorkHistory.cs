using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MonEspaceSante.Bench.SameWork;

/// <summary>
/// The access history's chain, as the rules want it: each entry's HMAC-SHA256 covers its fields,
/// each length-prefixed so no two entries share an encoding, and the previous entry's hash of
/// the same space, which the space's head row gives (and locks) in the entry's transaction.
/// </summary>
internal static class SameWorkHistory
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    public static string HashOf(byte[] key, string spaceId, long seq, string entryId, long atMs, string rpps, string via, string action, string target, string outcome, string previous)
    {
        var builder = new StringBuilder(384);
        foreach (var field in new[] { spaceId, seq.ToString(CultureInfo.InvariantCulture), entryId, atMs.ToString(CultureInfo.InvariantCulture), rpps, via, action, target, outcome, previous })
        {
            builder.Append(field.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(field).Append('|');
        }

        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(builder.ToString())));
    }
}
