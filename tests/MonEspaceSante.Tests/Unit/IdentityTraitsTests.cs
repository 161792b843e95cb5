using System.Globalization;
using MonEspaceSante.Access;
using MonEspaceSante.Identity;
using MonEspaceSante.Spaces;

namespace MonEspaceSante.Tests.Unit;

/// <summary>
/// A professional names a patient by INS, birth date and birth name, and optionally one first
/// name: all must match, with case, accents, hyphens, apostrophes and spaces not counting.
/// </summary>
public sealed class IdentityTraitsTests
{
    private const string First13 = "2850275123456";
    private static readonly string Ins = First13 + Nir.ComputeKey(First13).ToString("D2", CultureInfo.InvariantCulture);
    private static readonly DateOnly BirthDate = new(1985, 2, 14);

    private static PatientSpaceState Space(string birthName = "Lefèvre-N'Diaye", string firstNames = "Jean-Éloïse Marie Œdile") =>
        new() { Status = SpaceStatus.Active, Nir = Ins, BirthName = birthName, FirstNames = firstNames, BirthDate = BirthDate };

    private static PatientSearch Search(string? birthName = "Lefèvre-N'Diaye", string? firstName = null, string? ins = null, DateOnly? birthDate = null) =>
        new(ins ?? Ins, birthDate ?? BirthDate, birthName!, firstName);

    [Fact]
    public void The_traits_as_enrolled_match()
    {
        IdentityTraits.Match(Space(), Search()).Should().BeTrue();
    }

    [Theory]
    [InlineData("LEFEVRE-N'DIAYE")]
    [InlineData("lefevre n diaye")]
    [InlineData("Lefèvre N’Diaye")]
    [InlineData("LEFEVRENDIAYE")]
    [InlineData("  lefèvre -- ndiaye  ")]
    [InlineData("Le\u0301fe\u0300vre-N'Diaye")]
    public void The_birth_name_matches_whatever_its_case_accents_and_separators(string birthName)
    {
        IdentityTraits.Match(Space(), Search(birthName)).Should().BeTrue();
    }

    [Theory]
    [InlineData("Lefèvre")]
    [InlineData("N'Diaye")]
    [InlineData("Lefèvre-N'Diayé-Martin")]
    [InlineData("Lefebvre-N'Diaye")]
    public void Another_birth_name_does_not_match(string birthName)
    {
        IdentityTraits.Match(Space(), Search(birthName)).Should().BeFalse();
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("--")]
    public void A_birth_name_with_no_letters_never_matches_even_an_empty_one(string birthName)
    {
        IdentityTraits.Match(Space(birthName: birthName), Search(birthName)).Should().BeFalse();
    }

    [Fact]
    public void The_ins_may_be_typed_with_spaces()
    {
        var spaced = string.Join(' ', Ins[..1], Ins[1..3], Ins[3..5], Ins[5..7], Ins[7..10], Ins[10..13], Ins[13..]);

        IdentityTraits.Match(Space(), Search(ins: spaced)).Should().BeTrue();
    }

    [Fact]
    public void Another_valid_ins_does_not_match()
    {
        const string other13 = "2850275123457";
        var other = other13 + Nir.ComputeKey(other13).ToString("D2", CultureInfo.InvariantCulture);

        IdentityTraits.Match(Space(), Search(ins: other)).Should().BeFalse();
    }

    [Fact]
    public void An_ins_with_a_wrong_key_does_not_match()
    {
        var key = Nir.ComputeKey(First13);
        var wrong = First13 + ((key % 97) + 1).ToString("D2", CultureInfo.InvariantCulture);

        IdentityTraits.Match(Space(), Search(ins: wrong)).Should().BeFalse();
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    [InlineData(365)]
    public void A_birth_date_a_day_or_more_off_does_not_match(int days)
    {
        IdentityTraits.Match(Space(), Search(birthDate: BirthDate.AddDays(days))).Should().BeFalse();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void No_first_name_leaves_the_other_traits_to_decide(string? firstName)
    {
        IdentityTraits.Match(Space(), Search(firstName: firstName)).Should().BeTrue();
        IdentityTraits.Match(Space(), Search("Lefèvre", firstName)).Should().BeFalse();
    }

    [Theory]
    [InlineData("marie")]
    [InlineData("MARIE")]
    [InlineData("Jean-Éloïse")]
    [InlineData("jean eloise")]
    [InlineData("JEANELOISE")]
    [InlineData("oedile")]
    [InlineData("Jean-Éloïse Marie Œdile")]
    public void A_first_name_matches_when_it_is_one_of_the_birth_first_names_or_all_of_them(string firstName)
    {
        IdentityTraits.Match(Space(), Search(firstName: firstName)).Should().BeTrue();
    }

    [Theory]
    [InlineData("Jean")]
    [InlineData("Éloïse")]
    [InlineData("Marie Œdile")]
    [InlineData("Pierre")]
    public void A_part_of_a_composed_first_name_or_another_name_does_not_match(string firstName)
    {
        IdentityTraits.Match(Space(), Search(firstName: firstName)).Should().BeFalse();
    }

    [Fact]
    public void First_names_may_be_listed_with_commas()
    {
        var space = Space(firstNames: "Jean-Éloïse, Marie,Œdile");

        IdentityTraits.Match(space, Search(firstName: "Œdile")).Should().BeTrue();
        IdentityTraits.Match(space, Search(firstName: "Marie")).Should().BeTrue();
    }

    [Fact]
    public void A_first_name_does_not_make_up_for_another_trait()
    {
        IdentityTraits.Match(Space(), Search(firstName: "Marie", birthDate: BirthDate.AddDays(1))).Should().BeFalse();
    }

    [Theory]
    [InlineData("Jean-Éloïse N'Diaye", "JEANELOISENDIAYE")]
    [InlineData("  cœur  ", "COEUR")]
    [InlineData(null, "")]
    public void The_folded_form_is_upper_case_without_accents_or_separators(string? text, string expected)
    {
        IdentityTraits.Fold(text).Should().Be(expected);
    }

    [Fact]
    public void Both_sides_are_required()
    {
        ((Action)(() => IdentityTraits.Match(null!, Search()))).Should().Throw<ArgumentNullException>();
        ((Action)(() => IdentityTraits.Match(Space(), null!))).Should().Throw<ArgumentNullException>();
    }
}
