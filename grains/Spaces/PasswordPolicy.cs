namespace MonEspaceSante.Spaces;

/// <summary>
/// 12 to 128 characters with at least three of: lower case, upper case, digit, other. Length
/// matters most (NIST SP 800-63B); the classes keep out the most guessed short forms.
/// </summary>
public static class PasswordPolicy
{
    public const int MinLength = 12;
    public const int MaxLength = 128;

    public static bool IsAcceptable(string? password)
    {
        // Characters as a person counts them (Unicode code points, as NIST SP 800-63B does), not
        // UTF-16 units: an emoji or a character outside the BMP is one character, not two.
        if (password is null || password.EnumerateRunes().Count() is < MinLength or > MaxLength)
        {
            return false;
        }

        var classes = (password.Any(char.IsLower) ? 1 : 0)
            + (password.Any(char.IsUpper) ? 1 : 0)
            + (password.Any(char.IsDigit) ? 1 : 0)
            + (password.Any(c => !char.IsLetterOrDigit(c)) ? 1 : 0);
        return classes >= 3;
    }
}
