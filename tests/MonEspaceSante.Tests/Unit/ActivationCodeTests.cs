using MonEspaceSante.Security;

namespace MonEspaceSante.Tests.Unit;

public sealed class ActivationCodeTests
{
    [Fact]
    public void Codes_have_65_bits_in_an_easy_to_type_alphabet()
    {
        var code = ActivationCode.New();
        code.Should().MatchRegex("^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{5}$");
        // 13 symbols of a 32-symbol alphabet: 13 × 5 = 65 bits.
        (ActivationCode.Symbols * Math.Log2(32)).Should().BeGreaterThanOrEqualTo(64);
    }

    [Fact]
    public void Codes_do_not_repeat()
    {
        var codes = Enumerable.Range(0, 10_000).Select(_ => ActivationCode.New()).ToHashSet();
        codes.Should().HaveCount(10_000);
    }

    [Theory]
    [InlineData("abcd-efgh-jkmnp", "ABCDEFGHJKMNP")]
    [InlineData("ABCD EFGH JKMNP", "ABCDEFGHJKMNP")]
    [InlineData("0O1I-L000-00000", "0011100000000")]
    public void Normalising_forgives_case_separators_and_look_alikes(string typed, string expected) =>
        ActivationCode.Normalize(typed).Should().Be(expected);

    [Theory]
    [InlineData("ABCD-EFGH-JKMN")]
    [InlineData("ABCD-EFGH-JKMNPQ")]
    [InlineData("ABCD-EFGH-JKMN!")]
    [InlineData("UUUU-EFGH-JKMNP")]
    public void Anything_else_is_not_a_code(string typed) => ActivationCode.Normalize(typed).Should().BeNull();
}
