using MonEspaceSante.Spaces;

namespace MonEspaceSante.Tests.Unit;

/// <summary>docs/lifecycle.md: 12–128 characters with three of lower case, upper case, digits, symbols.</summary>
public sealed class PasswordPolicyTests
{
    /// <summary>A password of exactly <paramref name="length"/> characters with all four classes.</summary>
    private static string OfLength(int length) => "Aa1!" + new string('x', length - 4);

    [Fact]
    public void The_limits_are_the_documented_ones()
    {
        PasswordPolicy.MinLength.Should().Be(12);
        PasswordPolicy.MaxLength.Should().Be(128);
    }

    [Theory]
    [InlineData(11, false)]
    [InlineData(12, true)]
    [InlineData(128, true)]
    [InlineData(129, false)]
    public void Length_is_checked_at_both_ends(int length, bool acceptable)
    {
        PasswordPolicy.IsAcceptable(OfLength(length)).Should().Be(acceptable);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Nothing_is_not_a_password(string? password)
    {
        PasswordPolicy.IsAcceptable(password).Should().BeFalse();
    }

    [Theory]
    [InlineData("abcdefghijkl")]   // lower only
    [InlineData("ABCDEFGHIJKL")]   // upper only
    [InlineData("123456789012")]   // digits only
    [InlineData("!!!!!!!!!!!!")]   // symbols only
    [InlineData("abcdefABCDEF")]   // lower + upper
    [InlineData("abcdef123456")]   // lower + digits
    [InlineData("abcdef!!!!!!")]   // lower + symbols
    [InlineData("ABCDEF123456")]   // upper + digits
    [InlineData("ABCDEF!!!!!!")]   // upper + symbols
    [InlineData("123456!!!!!!")]   // digits + symbols
    public void Two_classes_or_fewer_are_refused_whatever_the_length(string password)
    {
        PasswordPolicy.IsAcceptable(password).Should().BeFalse();
        PasswordPolicy.IsAcceptable(password + password + password).Should().BeFalse("length does not make up for the classes");
    }

    [Theory]
    [InlineData("abcdABCD1234")]   // lower + upper + digits
    [InlineData("abcdABCD!!!!")]   // lower + upper + symbols
    [InlineData("abcd1234!!!!")]   // lower + digits + symbols
    [InlineData("ABCD1234!!!!")]   // upper + digits + symbols
    [InlineData("abAB12!!abAB")]   // all four
    public void Any_three_classes_are_enough_at_the_minimum_length(string password)
    {
        PasswordPolicy.IsAcceptable(password).Should().BeTrue();
        PasswordPolicy.IsAcceptable(password[..^1]).Should().BeFalse("one character shorter is below the minimum");
    }

    [Theory]
    [InlineData("Éléphant-rose")]      // accented capitals and lower case count as letters of their case
    [InlineData("mot de passe 42")]    // a space is a symbol
    [InlineData("ÇA VA très bien")]
    public void Letters_beyond_ascii_and_spaces_count_in_their_class(string password)
    {
        PasswordPolicy.IsAcceptable(password).Should().BeTrue();
    }

    [Fact]
    public void Accented_lower_case_and_digits_alone_are_two_classes()
    {
        PasswordPolicy.IsAcceptable("éèàùçéèàù123").Should().BeFalse();
    }

    // The docs (and NIST SP 800-63B, which the policy cites) count characters; the code counts
    // UTF-16 units, so a character outside the Basic Multilingual Plane (an emoji) counts twice.
    // This test states what the docs say and is skipped until code and docs agree.
    [Theory]
    [InlineData(11, false)]
    [InlineData(128, true)]
    public void Length_is_counted_in_characters_not_in_utf16_units(int characters, bool acceptable)
    {
        // "Aa1!" then one emoji (two UTF-16 units) then letters up to the number of characters.
        var password = "Aa1!\U0001F512" + new string('x', characters - 5);

        PasswordPolicy.IsAcceptable(password).Should().Be(acceptable);
    }
}
