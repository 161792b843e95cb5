using System.Diagnostics.CodeAnalysis;
using Orleans;

namespace MonEspaceSante.Identity;

// Serialised by Orleans through RppsSurrogate (IdentitySurrogates.cs), not [GenerateSerializer]:
// generated code would write the backing field straight back and skip the checks of Parse, so a
// corrupted or forged message could carry an invalid Rpps. The surrogate holds the canonical
// string and rebuilds the value through Parse. Immutable: copying within a silo shares it.
/// <summary>
/// A professional's RPPS number: 11 digits, the last a Luhn check digit. The national
/// professional id (what Pro Santé Connect carries) is <c>8</c> + RPPS; both forms parse.
/// </summary>
[Alias("mes.Rpps")]
[Immutable]
public readonly record struct Rpps
{
    private Rpps(string value) => Value = value;

    /// <summary>The 11 digits.</summary>
    public string Value { get; }

    /// <summary>The national professional id: <c>8</c> + RPPS.</summary>
    public string NationalId => "8" + Value;

    public override string ToString() => Value;

    public static Rpps Parse(string text) =>
        TryParse(text, out var rpps) ? rpps : throw new FormatException("RPPS must be 11 digits with a valid Luhn check digit.");

    public static bool TryParse([NotNullWhen(true)] string? text, out Rpps rpps)
    {
        rpps = default;
        var value = text?.Trim();
        if (value is { Length: 12 } && value[0] == '8')
        {
            value = value[1..];
        }

        if (value is not { Length: 11 } || !value.All(char.IsAsciiDigit) || !LuhnValid(value))
        {
            return false;
        }

        rpps = new Rpps(value);
        return true;
    }

    public static bool IsValid(string? text) => TryParse(text, out _);

    private static bool LuhnValid(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var digit = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }

            sum += digit;
        }

        return sum % 10 == 0;
    }
}
