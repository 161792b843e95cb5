using MonEspaceSante.Identity;

namespace MonEspaceSante.Tests.Unit;

public sealed class NirTests
{
    [Theory]
    [InlineData("1850275123456", "")]        // Paris
    [InlineData("2990199000001", "")]        // born abroad (department 99)
    [InlineData("185022A123456", "")]        // Corsica, 2A read as 19
    [InlineData("285032B001002", "")]        // Corsica, 2B read as 18
    [InlineData("1855097412345", "")]        // month 50+ (incomplete civil status)
    public void A_number_with_its_computed_key_is_valid(string first13, string _)
    {
        var key = Nir.ComputeKey(first13);
        Nir.TryParse(first13 + key.ToString("D2", System.Globalization.CultureInfo.InvariantCulture), out var nir, out var error).Should().BeTrue(error);
        nir.Value.Should().Be(first13.ToUpperInvariant() + key.ToString("D2", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Corsican_key_uses_19_for_2A_and_18_for_2B()
    {
        Nir.ComputeKey("185022A123456").Should().Be(97 - (int)(1850219123456L % 97));
        Nir.ComputeKey("185022B123456").Should().Be(97 - (int)(1850218123456L % 97));
    }

    [Fact]
    public void A_known_valid_number_parses_with_spaces()
    {
        // 1 85 02 75 123 456 key: 97 - (1850275123456 mod 97)
        var key = 97 - (int)(1850275123456L % 97);
        Nir.TryParse($"1 85 02 75 123 456 {key:D2}", out var nir).Should().BeTrue();
        nir.SexDigit.Should().Be('1');
        nir.YearOfBirth2.Should().Be(85);
        nir.MonthField.Should().Be(2);
    }

    [Theory]
    [InlineData(null, "empty")]
    [InlineData("", "empty")]
    [InlineData("18502751234", "15 characters")]
    [InlineData("18502751234567890", "15 characters")]
    [InlineData("385027512345600", "start with")]
    [InlineData("185137512345600", "month")]
    [InlineData("185027512300000", "order")]
    [InlineData("18502X512345600", "department")]
    [InlineData("1850275123A5600", "non-digit")]
    public void Malformed_numbers_are_refused_with_a_reason(string? text, string reason)
    {
        Nir.TryParse(text, out _, out var error).Should().BeFalse();
        error.Should().Contain(reason);
    }

    [Fact]
    public void A_wrong_key_is_refused()
    {
        var key = Nir.ComputeKey("1850275123456");
        var wrong = (key % 97) + 1;
        Nir.TryParse("1850275123456" + wrong.ToString("D2", System.Globalization.CultureInfo.InvariantCulture), out _, out var error).Should().BeFalse();
        error.Should().Contain("key");
    }

    [Fact]
    public void A_Corsican_number_checked_without_the_substitution_fails()
    {
        // The key computed as if 2A were 20 must not validate.
        var naive = 97 - (int)(1850220123456L % 97);
        var real = Nir.ComputeKey("185022A123456");
        naive.Should().NotBe(real);
        Nir.TryParse("185022A123456" + naive.ToString("D2", System.Globalization.CultureInfo.InvariantCulture), out _).Should().BeFalse();
    }
}
