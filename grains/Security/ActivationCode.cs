using System.Security.Cryptography;

namespace MonEspaceSante.Security;

/// <summary>
/// Provisional activation codes: 13 symbols of Crockford's base32 (65 bits of entropy), shown
/// as XXXX-XXXX-XXXXX. The alphabet has no I, L, O or U, and typing mistakes between look-alikes
/// (O/0, I/L/1) are forgiven when normalising.
/// </summary>
public static class ActivationCode
{
    public const int Symbols = 13;
    /// <summary>Crockford's base32 symbols, shared with the other references people read out (letters).</summary>
    internal const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string New()
    {
        // One call to the system RNG per code (enrolment makes millions); 32 divides 256, so
        // taking the low 5 bits of each byte is unbiased.
        Span<byte> random = stackalloc byte[Symbols];
        RandomNumberGenerator.Fill(random);
        Span<char> canonical = stackalloc char[Symbols];
        return FromRandom(random, canonical);
    }

    /// <summary>
    /// Builds a code from <see cref="Symbols"/> bytes the caller drew from the system RNG (bulk
    /// paths draw a whole batch's bytes in one call), writing its canonical form, the one
    /// <see cref="Normalize"/> returns, into <paramref name="canonical"/>.
    /// </summary>
    internal static string FromRandom(ReadOnlySpan<byte> random, Span<char> canonical)
    {
        if (random.Length != Symbols || canonical.Length != Symbols)
        {
            throw new ArgumentException($"An activation code takes exactly {Symbols} random bytes.", nameof(random));
        }

        // 32 divides 256, so taking the low 5 bits of each byte is unbiased.
        for (var i = 0; i < Symbols; i++)
        {
            canonical[i] = Alphabet[random[i] & 31];
        }

        return $"{canonical[..4]}-{canonical[4..8]}-{canonical[8..]}";
    }

    /// <summary>Returns the canonical 13 symbols, or null when the text cannot be a code.</summary>
    public static string? Normalize(string? text)
    {
        if (text is null)
        {
            return null;
        }

        Span<char> chars = stackalloc char[Symbols];
        var n = 0;
        foreach (var raw in text)
        {
            if (raw is '-' or ' ')
            {
                continue;
            }

            var c = char.ToUpperInvariant(raw) switch
            {
                'O' => '0',
                'I' or 'L' => '1',
                var other => other,
            };
            if (n == Symbols || !Alphabet.Contains(c, StringComparison.Ordinal))
            {
                return null;
            }

            chars[n++] = c;
        }

        return n == Symbols ? new string(chars) : null;
    }
}
