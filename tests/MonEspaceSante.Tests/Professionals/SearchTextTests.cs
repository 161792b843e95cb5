using MonEspaceSante.Professionals;

namespace MonEspaceSante.Tests.Professionals;

public sealed class SearchTextTests
{
    [Theory]
    [InlineData("Éloïse", "ELOISE")]
    [InlineData("  lefèvre   éloïse ", "LEFEVRE ELOISE")]
    [InlineData("DUPONT-MOREAU Jérôme", "DUPONT MOREAU JEROME")]
    [InlineData("N'Diaye", "N DIAYE")]
    [InlineData("N’DIAYE", "N DIAYE")]
    [InlineData("Cœur Lætitia", "COEUR LAETITIA")]
    [InlineData("Saint-Étienne", "SAINT ETIENNE")]
    [InlineData("Çà et là", "CA ET LA")]
    [InlineData("Łukasz Øster Þór Straße", "LUKASZ OSTER THOR STRASSE")]
    [InlineData("E\u0301loi\u0308se", "ELOISE")]
    [InlineData("2×3", "2 3")]
    [InlineData("--", "")]
    [InlineData(null, "")]
    public void Names_are_upper_case_without_accents_and_with_single_spaces(string? text, string expected) =>
        SearchText.Normalize(text).Should().Be(expected);

    [Fact]
    public void The_prefix_end_is_above_every_string_with_the_prefix_and_below_the_next_one()
    {
        var end = SearchText.PrefixEnd("DUP");
        end.Should().Be("DUQ");
        string.CompareOrdinal("DUPONT MARIE", end).Should().BeNegative();
        string.CompareOrdinal("DUPZZZ", end).Should().BeNegative();
        string.CompareOrdinal("DUQ", end).Should().Be(0);
    }
}
