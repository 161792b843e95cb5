using MonEspaceSante.Errors;
using MonEspaceSante.HealthProfiles;

namespace MonEspaceSante.Tests.Unit;

/// <summary>
/// docs/health-profile.md, "Validation and limits": texts trimmed and bounded (200 for labels,
/// 100 for short texts, 50 for a lot, 30 for a phone, 1,000 for notes, 10,000 for advance
/// directives, 500 for their reference), dates from 1900-01-01 to today, enums by name, every
/// problem named in one refusal.
/// </summary>
public sealed class HealthItemRulesTests
{
    private static readonly DateOnly Today = new(2026, 11, 2);
    private static readonly DateOnly Earliest = new(1900, 1, 1);

    private static string Chars(int length) => new('a', length);

    /// <summary>The refusal, with every problem in its detail.</summary>
    private static DomainException Refusal(Func<object> normalize)
    {
        var exception = normalize.Should().Throw<DomainException>().Which;
        exception.Error.Should().Be(DomainError.InvalidRequest);
        return exception;
    }

    private static TItem Accepted<TItem>(TItem item)
        where TItem : class, IHealthItem => HealthItemRules.Normalize(item, Today);

    [Fact]
    public void Texts_are_trimmed_and_empty_optional_texts_become_nothing()
    {
        var treatment = Accepted(new TreatmentItem("  Metformine 500  ", "   ", null, " \n "));

        treatment.Medication.Should().Be("Metformine 500");
        treatment.Dosage.Should().BeNull();
        treatment.Note.Should().BeNull();
    }

    public static TheoryData<string, int, Func<string, IHealthItem>> BoundedTexts => new()
    {
        { "label", 200, text => new MedicalHistoryItem(MedicalHistoryKind.Illness, text, null, null, null) },
        { "medication", 200, text => new TreatmentItem(text, null, null, null) },
        { "dosage", 200, text => new TreatmentItem("Metformine", text, null, null) },
        { "allergen", 200, text => new AllergyItem(text, null, null, null, null) },
        { "reaction", 200, text => new AllergyItem("Pénicilline", text, null, null, null) },
        { "relative", 100, text => new FamilyHistoryItem(text, "Diabète", null) },
        { "condition", 200, text => new FamilyHistoryItem("mère", text, null) },
        { "vaccine", 200, text => new VaccinationItem(text, Today, null, null) },
        { "lot", 50, text => new VaccinationItem("DTP", Today, text, null) },
        { "name", 200, text => new ContactItem(text, null, "0612345678", null) },
        { "relation", 100, text => new ContactItem("Paul", text, "0612345678", null) },
        { "note", 1000, text => new ContactItem("Paul", null, "0612345678", text) },
        { "note", 1000, text => new MedicalHistoryItem(MedicalHistoryKind.Surgery, "Appendicectomie", null, null, text) },
        { "name", 200, text => new FollowerItem("10001000008", text, null, null, null) },
        { "profession", 100, text => new FollowerItem("10001000008", null, text, null, null) },
        { "role", 100, text => new FollowerItem("10001000008", null, null, text, null) },
    };

    [Theory]
    [MemberData(nameof(BoundedTexts))]
    public void Each_text_is_accepted_at_its_limit_and_refused_one_character_over(string field, int max, Func<string, IHealthItem> item)
    {
        // Surrounding spaces do not count: the limit applies to the trimmed text.
        HealthItemRules.Normalize(item("  " + Chars(max) + "  "), Today).Should().NotBeNull();

        Refusal(() => HealthItemRules.Normalize(item(Chars(max + 1)), Today))
            .Message.Should().Contain($"{field} is at most {max} characters ({max + 1} given).");
    }

    public static TheoryData<string, Func<string?, IHealthItem>> RequiredTexts => new()
    {
        { "label", text => new MedicalHistoryItem(MedicalHistoryKind.Illness, text, null, null, null) },
        { "medication", text => new TreatmentItem(text, null, null, null) },
        { "allergen", text => new AllergyItem(text, null, null, null, null) },
        { "relative", text => new FamilyHistoryItem(text, "Diabète", null) },
        { "condition", text => new FamilyHistoryItem("mère", text, null) },
        { "vaccine", text => new VaccinationItem(text, Today, null, null) },
        { "name", text => new ContactItem(text, null, "0612345678", null) },
        { "phone", text => new ContactItem("Paul", null, text, null) },
    };

    [Theory]
    [MemberData(nameof(RequiredTexts))]
    public void A_required_text_may_be_neither_missing_nor_blank(string field, Func<string?, IHealthItem> item)
    {
        Refusal(() => HealthItemRules.Normalize(item(null), Today)).Message.Should().Contain($"{field} is required");
        Refusal(() => HealthItemRules.Normalize(item(" \t "), Today)).Message.Should().Contain($"{field} is required");
    }

    [Theory]
    [InlineData("Pénicilline\nAmoxicilline")]
    [InlineData("Pénicilline\tAmoxicilline")]
    [InlineData("Pénicilline\u0000")]
    public void A_one_line_text_refuses_line_breaks_tabs_and_other_control_characters(string allergen)
    {
        Refusal(() => Accepted(new AllergyItem(allergen, null, null, null, null)))
            .Message.Should().Contain("allergen must be on one line");
    }

    [Fact]
    public void A_note_keeps_its_line_breaks_and_tabs_but_no_other_control_character()
    {
        Accepted(new AllergyItem("Pénicilline", null, null, null, "Urticaire\r\n\tgénéralisée")).Note.Should().Be("Urticaire\r\n\tgénéralisée");

        Refusal(() => Accepted(new AllergyItem("Pénicilline", null, null, null, "Urticaire\u0007")))
            .Message.Should().Contain("note must not contain control characters other than line breaks and tabs.");
    }

    [Fact]
    public void Dates_from_1900_to_today_are_accepted()
    {
        Accepted(new TreatmentItem("Metformine", null, Earliest, null)).StartDate.Should().Be(Earliest);
        Accepted(new TreatmentItem("Metformine", null, Today, null)).StartDate.Should().Be(Today);
    }

    [Fact]
    public void A_date_before_1900_or_after_today_is_refused()
    {
        Refusal(() => Accepted(new TreatmentItem("Metformine", null, Earliest.AddDays(-1), null)))
            .Message.Should().Contain("startDate must be between 1900-01-01 and today (2026-11-02), not in the future.");
        Refusal(() => Accepted(new VaccinationItem("DTP", Today.AddDays(1), null, null)))
            .Message.Should().Contain("date must be between 1900-01-01 and today (2026-11-02)");
        Refusal(() => Accepted(new AllergyItem("Pénicilline", null, null, Today.AddDays(1), null)))
            .Message.Should().Contain("since must be between");
    }

    [Fact]
    public void A_vaccination_needs_its_date()
    {
        Refusal(() => Accepted(new VaccinationItem("DTP", null, null, null))).Message.Should().Contain("date is required (a date, yyyy-MM-dd).");
    }

    [Fact]
    public void A_history_may_end_on_the_day_it_started_but_not_before()
    {
        var day = new DateOnly(2020, 5, 1);
        Accepted(new MedicalHistoryItem(MedicalHistoryKind.Hospitalisation, "Pneumonie", day, day, null)).EndDate.Should().Be(day);

        Refusal(() => Accepted(new MedicalHistoryItem(MedicalHistoryKind.Hospitalisation, "Pneumonie", day, day.AddDays(-1), null)))
            .Message.Should().Contain("endDate must not be before startDate.");
    }

    [Theory]
    [InlineData(MedicalHistoryKind.Illness)]
    [InlineData(MedicalHistoryKind.Hospitalisation)]
    [InlineData(MedicalHistoryKind.Surgery)]
    [InlineData(MedicalHistoryKind.PastTreatment)]
    public void Every_kind_of_history_is_accepted(MedicalHistoryKind kind)
    {
        Accepted(new MedicalHistoryItem(kind, "Libellé", null, null, null)).Kind.Should().Be(kind);
    }

    [Fact]
    public void A_history_needs_a_known_kind()
    {
        Refusal(() => Accepted(new MedicalHistoryItem(null, "Libellé", null, null, null)))
            .Message.Should().Contain("kind is required, one of: Illness, Hospitalisation, Surgery, PastTreatment.");
        Refusal(() => Accepted(new MedicalHistoryItem((MedicalHistoryKind)4, "Libellé", null, null, null)))
            .Message.Should().Contain("kind must be one of: Illness, Hospitalisation, Surgery, PastTreatment.");
    }

    [Theory]
    [InlineData(AllergySeverity.Mild)]
    [InlineData(AllergySeverity.Moderate)]
    [InlineData(AllergySeverity.Severe)]
    [InlineData(null)]
    public void An_allergy_s_severity_is_optional_and_one_of_its_names(AllergySeverity? severity)
    {
        Accepted(new AllergyItem("Arachide", null, severity, null, null)).Severity.Should().Be(severity);
    }

    [Fact]
    public void An_unknown_severity_is_refused()
    {
        Refusal(() => Accepted(new AllergyItem("Arachide", null, (AllergySeverity)3, null, null)))
            .Message.Should().Contain("severity must be one of: Mild, Moderate, Severe.");
    }

    [Theory]
    [InlineData("1234")]
    [InlineData("+33 6 12 34 56 78")]
    [InlineData("06.12.34.56.78")]
    [InlineData("(0)6-12-34-56-78")]
    [InlineData("123456789012345")]
    [InlineData("+123456789012345")]
    public void A_phone_has_4_to_15_digits_written_as_people_write_them(string phone)
    {
        Accepted(new ContactItem("Paul", null, phone, null)).Phone.Should().Be(phone);
    }

    [Theory]
    [InlineData("123")]
    [InlineData("1234567890123456")]
    [InlineData("06 12 34 56 7a")]
    [InlineData("06/12/34/56/78")]
    [InlineData("++33612345678")]
    [InlineData("06 12 34 + 56")]
    public void Anything_else_is_not_a_phone(string phone)
    {
        Refusal(() => Accepted(new ContactItem("Paul", null, phone, null)))
            .Message.Should().Contain("phone must be 4 to 15 digits");
    }

    [Fact]
    public void A_phone_is_at_most_30_characters_even_with_few_digits()
    {
        Accepted(new ContactItem("Paul", null, "06" + new string(' ', 26) + "12", null)).Phone.Should().HaveLength(30);

        Refusal(() => Accepted(new ContactItem("Paul", null, "06" + new string(' ', 27) + "12", null)))
            .Message.Should().Contain("phone is at most 30 characters (31 given).");
    }

    [Theory]
    [InlineData("10001000008", "10001000008")]
    [InlineData("810001000008", "10001000008")]
    public void A_follower_is_named_by_a_valid_rpps_or_national_id(string given, string stored)
    {
        Accepted(new FollowerItem(given, null, null, null, null)).Rpps.Should().Be(stored);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("10001000009")]
    [InlineData("1000100000")]
    [InlineData("1000100000A")]
    public void A_follower_s_rpps_must_be_valid(string? rpps)
    {
        Refusal(() => Accepted(new FollowerItem(rpps, null, null, null, null)))
            .Message.Should().Contain("rpps must be 11 digits with a valid check digit");
    }

    [Fact]
    public void Every_problem_is_named_in_the_one_refusal()
    {
        var refusal = Refusal(() => Accepted(new MedicalHistoryItem(null, null, Today.AddDays(1), Earliest.AddDays(-1), Chars(1001))));

        refusal.Message.Should().ContainAll(
            "kind is required",
            "label is required (1 to 200 characters).",
            "startDate must be between",
            "endDate must be between",
            "endDate must not be before startDate.",
            "note is at most 1000 characters (1001 given).");
    }

    [Fact]
    public void Wishes_default_to_a_donation_choice_not_stated()
    {
        var wishes = HealthItemRules.Normalize(new HealthWishes(null, "  ", null));

        wishes.OrganDonation.Should().Be(OrganDonationChoice.NotStated);
        wishes.AdvanceDirectives.Should().BeNull();
        wishes.AdvanceDirectivesReference.Should().BeNull();
    }

    [Theory]
    [InlineData(OrganDonationChoice.NotStated)]
    [InlineData(OrganDonationChoice.Accepts)]
    [InlineData(OrganDonationChoice.Refuses)]
    public void Each_donation_choice_is_kept(OrganDonationChoice choice)
    {
        HealthItemRules.Normalize(new HealthWishes(choice, null, null)).OrganDonation.Should().Be(choice);
    }

    [Fact]
    public void An_unknown_donation_choice_is_refused()
    {
        Refusal(() => HealthItemRules.Normalize(new HealthWishes((OrganDonationChoice)3, null, null)))
            .Message.Should().Contain("organDonation must be one of: NotStated, Accepts, Refuses.");
    }

    [Fact]
    public void Advance_directives_hold_10000_characters_on_several_lines_and_their_reference_500_on_one()
    {
        var directives = "Pas d'acharnement.\n" + Chars(10_000 - 19);
        var wishes = HealthItemRules.Normalize(new HealthWishes(OrganDonationChoice.Accepts, directives, Chars(500)));
        wishes.AdvanceDirectives.Should().HaveLength(10_000);

        Refusal(() => HealthItemRules.Normalize(new HealthWishes(null, directives + "a", null)))
            .Message.Should().Contain("advanceDirectives is at most 10000 characters (10001 given).");
        Refusal(() => HealthItemRules.Normalize(new HealthWishes(null, null, Chars(501))))
            .Message.Should().Contain("advanceDirectivesReference is at most 500 characters (501 given).");
        Refusal(() => HealthItemRules.Normalize(new HealthWishes(null, null, "Chez le notaire\nà Lyon")))
            .Message.Should().Contain("advanceDirectivesReference must be on one line");
    }

    [Fact]
    public void The_documented_limits_are_the_code_s()
    {
        HealthProfileLimits.LabelLength.Should().Be(200);
        HealthProfileLimits.ShortTextLength.Should().Be(100);
        HealthProfileLimits.LotLength.Should().Be(50);
        HealthProfileLimits.PhoneLength.Should().Be(30);
        HealthProfileLimits.NoteLength.Should().Be(1000);
        HealthProfileLimits.AdvanceDirectivesLength.Should().Be(10_000);
        HealthProfileLimits.ReferenceLength.Should().Be(500);
        HealthProfileLimits.Earliest.Should().Be(Earliest);
    }

    [Fact]
    public void An_item_the_profile_does_not_hold_is_a_programming_error()
    {
        var normalize = () => HealthItemRules.Normalize<IHealthItem>(new NotAnItem(), Today);

        normalize.Should().Throw<ArgumentException>();
    }

    private sealed record NotAnItem : IHealthItem;
}
