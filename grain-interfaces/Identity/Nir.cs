using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Orleans;

namespace MonEspaceSante.Identity;

// Serialised by Orleans through NirSurrogate (IdentitySurrogates.cs), not [GenerateSerializer]:
// generated code would write the backing field straight back and skip the checks of Parse, so a
// corrupted or forged message could carry an invalid Nir. The surrogate holds the canonical
// string and rebuilds the value through Parse. Immutable: copying within a silo shares it.
/// <summary>
/// A French social security number (NIR): 13 characters and a 2-digit key.
/// Layout and key rule: reference/france-health-rules.md.
/// </summary>
[Alias("mes.Nir")]
[Immutable]
public readonly record struct Nir
{
    private Nir(string value) => Value = value;

    /// <summary>The 15 normalised characters (no spaces), e.g. <c>1850275123456</c> + key.</summary>
    public string Value { get; }

    public char SexDigit => Value[0];
    public int YearOfBirth2 => int.Parse(Value.AsSpan(1, 2), CultureInfo.InvariantCulture);
    public int MonthField => int.Parse(Value.AsSpan(3, 2), CultureInfo.InvariantCulture);

    /// <summary>True for temporary numbers (sex digit 7 or 8), whose date fields need not match.</summary>
    public bool IsTemporary => SexDigit is '7' or '8';

    public override string ToString() => Value;

    public static Nir Parse(string text) =>
        TryParse(text, out var nir, out var error) ? nir : throw new FormatException(error);

    public static bool TryParse(string? text, out Nir nir) => TryParse(text, out nir, out _);

    public static bool TryParse(string? text, out Nir nir, [NotNullWhen(false)] out string? error)
    {
        nir = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "NIR is empty.";
            return false;
        }

        Span<char> buffer = stackalloc char[15];
        var length = 0;
        foreach (var c in text)
        {
            if (c is ' ' or '.' or '-')
            {
                continue;
            }

            if (length == 15)
            {
                error = "NIR must have 15 characters (13 and a 2-digit key).";
                return false;
            }

            buffer[length++] = char.ToUpperInvariant(c);
        }

        if (length != 15)
        {
            error = "NIR must have 15 characters (13 and a 2-digit key).";
            return false;
        }

        ReadOnlySpan<char> s = buffer;
        if (s[0] is not ('1' or '2' or '7' or '8'))
        {
            error = "NIR must start with 1, 2, 7 or 8.";
            return false;
        }

        if (!AllDigits(s[1..5]) || !AllDigits(s[7..15]))
        {
            error = "NIR has a non-digit where digits are expected.";
            return false;
        }

        var month = (s[3] - '0') * 10 + (s[4] - '0');
        // Months 20+ and 50+ are issued when civil status was incomplete at registration.
        if (month is 0 or (> 12 and < 20))
        {
            error = "NIR birth month is invalid.";
            return false;
        }

        var corsica = s[5] == '2' && s[6] is 'A' or 'B';
        if (!corsica && !AllDigits(s[5..7]))
        {
            error = "NIR department is invalid.";
            return false;
        }

        if (s[12] == '0' && s[11] == '0' && s[10] == '0')
        {
            error = "NIR order number cannot be 000.";
            return false;
        }

        Span<char> digits = stackalloc char[13];
        s[..13].CopyTo(digits);
        if (corsica)
        {
            // The key of a Corsican NIR is computed with 2A read as 19 and 2B as 18.
            digits[5] = '1';
            digits[6] = s[6] == 'A' ? '9' : '8';
        }

        var number = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        var expectedKey = 97 - (int)(number % 97);
        var key = (s[13] - '0') * 10 + (s[14] - '0');
        if (key != expectedKey)
        {
            error = "NIR key does not match.";
            return false;
        }

        nir = new Nir(new string(s));
        error = null;
        return true;
    }

    /// <summary>Computes the 2-digit key for 13 characters (Corsica included). Used by generators and tests.</summary>
    public static int ComputeKey(string first13)
    {
        ArgumentNullException.ThrowIfNull(first13);
        var normalised = first13.ToUpperInvariant().Replace("2A", "19", StringComparison.Ordinal).Replace("2B", "18", StringComparison.Ordinal);
        return 97 - (int)(long.Parse(normalised, NumberStyles.None, CultureInfo.InvariantCulture) % 97);
    }

    private static bool AllDigits(ReadOnlySpan<char> span)
    {
        foreach (var c in span)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }
}
