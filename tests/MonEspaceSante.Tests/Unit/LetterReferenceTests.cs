using MonEspaceSante.Letters;
using MonEspaceSante.Security;

namespace MonEspaceSante.Tests.Unit;

public sealed class LetterReferenceTests
{
    [Fact]
    public void A_reference_is_three_groups_of_four_unambiguous_symbols_after_its_prefix()
    {
        var reference = LetterReference.For(Guid.NewGuid(), 0);

        reference.Should().MatchRegex("^LET-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$");
        ActivationCode.Normalize(reference).Should().BeNull("a reference typed as a code can never be taken for one");
    }

    [Fact]
    public void The_same_letter_always_gets_the_same_reference_and_another_letter_another()
    {
        var space = Guid.NewGuid();

        LetterReference.For(space, 3).Should().Be(LetterReference.For(space, 3), "a delivery job run again prints the same letter");
        LetterReference.For(space, 4).Should().NotBe(LetterReference.For(space, 3), "a new code's letter is told apart from the old one");
        LetterReference.For(Guid.NewGuid(), 3).Should().NotBe(LetterReference.For(space, 3));
    }

    [Fact]
    public void References_spread_over_every_symbol_without_repeating()
    {
        var references = Enumerable.Range(0, 100_000).Select(i => LetterReference.For(Guid.NewGuid(), i % 3)).ToList();

        references.Should().OnlyHaveUniqueItems();
        var symbols = references.SelectMany(r => r[LetterReference.Prefix.Length..].Replace("-", "", StringComparison.Ordinal)).ToList();
        symbols.Distinct().Should().HaveCount(32);
        var counts = symbols.GroupBy(c => c).Select(g => g.Count()).ToList();
        counts.Min().Should().BeGreaterThan(symbols.Count / 32 * 9 / 10, "every symbol is about equally likely");
    }
}
