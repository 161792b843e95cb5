using System.Text.RegularExpressions;
using MonEspaceSante.Access;
using MonEspaceSante.HealthProfiles;
using MonEspaceSante.Letters;
using MonEspaceSante.Pdf;
using MonEspaceSante.Tests.Infrastructure;
using PdfSharp;

namespace MonEspaceSante.Tests.Pdf;

/// <summary>
/// Every PDF the platform produces, fed with deliberately long content, keeps every word inside the page less the
/// renderer's margins: a printer crops what lies beyond, and a letter or proof with a cut name or reference is useless.
/// </summary>
public sealed partial class PrintableAreaTests
{
    // A word no line can hold: it must wrap (or be cut visibly), never run off the page.
    private const string Unbroken = "Anticonstitutionnellementdébarrassé-Wolfeschlegelsteinhausenbergerdorff-Ngābāmākūkāhārānuiō";

    private static readonly string LongName =
        "Marie-Bernadette Anne-Sophie Christiane Éléonore de La Rochefoucauld-Montmorency-Lévis-Mirepoix " + Unbroken;

    private static readonly DateTimeOffset At = new(2025, 3, 20, 10, 30, 0, TimeSpan.Zero);

    public PrintableAreaTests()
    {
        // The call is idempotent; see LetterRendererTests for why the tests pick the AGPL license.
        PdfSharpLicense.SetAgplLicense();
    }

    [Fact]
    public async Task The_activation_letter_stays_within_the_margins_with_long_names_addresses_and_reference()
    {
        var address = new[]
            {
                "Résidence des Grands Chênes, bâtiment Hêtre Pourpre, escalier C, quatrième étage, porte gauche au fond du couloir",
                "Lieu-dit " + Unbroken,
                "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
            }
            .Concat(Enumerable.Range(1, 50).Select(i => $"Ligne d'adresse complémentaire numéro {i}"));
        var letter = new ActivationLetter(
            LongName,
            string.Join('\n', address),
            "K7Q4-ZP2M-XW3RT",
            new DateOnly(2025, 3, 14),
            new DateOnly(2025, 4, 25),
            new string('R', 120));

        var pdf = LetterRenderer.RenderActivationLetter(letter);

        await PdfLayout.ShouldStayWithinMarginsAsync(pdf, LetterRenderer.Margin, minimumPages: 2);
        var text = Unspaced(await PdfText.ExtractAsync(pdf));
        text.Should().Contain(Unspaced(Unbroken), "a word too long for its line wraps, nothing of it is lost")
            .And.Contain(new string('R', 120)).And.Contain("K7Q4-ZP2M-XW3RT");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("LET-WWWW-WWWW-WWWW")] // the widest symbols of the alphabet
    public async Task The_letter_reference_is_one_word_beside_its_label_inside_the_address_block(string? reference)
    {
        reference ??= LetterReference.For(Guid.NewGuid(), 0);
        var letter = new ActivationLetter(LongName, "27 rue de l'Église\n69003 Lyon", "K7Q4-ZP2M-XW3RT", new DateOnly(2025, 3, 14), new DateOnly(2025, 4, 25), reference);

        var pdf = LetterRenderer.RenderActivationLetter(letter);

        await PdfLayout.ShouldStayWithinMarginsAsync(pdf, LetterRenderer.Margin);
        var printed = PdfLayout.WordAfterLabel((await PdfLayout.ReadAsync(pdf))[0], "Référence");
        printed.Text.Should().Be(reference);
        printed.Left.Should().BeGreaterThanOrEqualTo(LetterRenderer.Margin + LetterRenderer.RecipientIndent, "the reference is in the address block");
    }

    [Fact]
    public async Task The_opposition_proof_stays_within_the_margins_with_a_long_name_and_reference()
    {
        var proof = new OppositionProof(LongName, new DateOnly(1987, 11, 5), "OPP-20250320-" + new string('7', 90), At);

        var pdf = LetterRenderer.RenderOppositionProof(proof);

        await PdfLayout.ShouldStayWithinMarginsAsync(pdf, LetterRenderer.Margin);
        Unspaced(await PdfText.ExtractAsync(pdf)).Should().Contain(Unspaced(LongName)).And.Contain(new string('7', 90));
    }

    [Fact]
    public async Task The_access_history_stays_within_the_margins_over_many_pages_of_long_entries()
    {
        var entries = Enumerable.Range(1, 150).Select(i => new AccessHistoryEntry(
                Guid.NewGuid(),
                151 - i,
                At.AddMinutes(-i),
                "10101010101",
                i % 3 == 0 ? null : "Dr " + LongName,
                "Médecin qualifié en médecine générale, spécialiste en " + Unbroken,
                "Centre hospitalier universitaire de " + Unbroken + " - site principal",
                i % 2 == 0 ? "Logiciel-de-dossier-patient-informatisé-version-12.4.5-build-20250320-" + Unbroken : null,
                (AccessAction)(i % Enum.GetValues<AccessAction>().Length),
                null,
                i % 5 == 0,
                i % 5 == 0 ? "Urgence vitale : " + Unbroken : null,
                i % 7 == 0 ? AccessOutcome.Denied : AccessOutcome.Allowed))
            .ToList();
        var report = new AccessHistoryReport(
            LongName,
            new DateOnly(1987, 11, 5),
            At,
            new HistoryVerification(true, entries.Count, null, new string('a', 32) + new string('f', 32)),
            entries);

        var pdf = LetterRenderer.RenderAccessHistory(report);

        await PdfLayout.ShouldStayWithinMarginsAsync(pdf, LetterRenderer.Margin, minimumPages: 3);
        Unspaced(await PdfText.ExtractAsync(pdf)).Should().Contain(new string('a', 32) + new string('f', 32), "the head hash is printed whole");
    }

    [Fact]
    public async Task The_health_profile_synthesis_stays_within_the_margins_over_many_pages_of_long_entries()
    {
        var note = "Note : " + Unbroken + " " + string.Join(' ', Enumerable.Repeat("suivi régulier recommandé", 12));
        var professional = new HealthEntryAuthor(HealthAuthorKind.Professional, "10101010101", "Dr " + LongName, "Médecin", "Logiciel-" + Unbroken);
        var profile = new HealthProfileView(
            Guid.NewGuid(),
            Entries(i => new MedicalHistoryItem(MedicalHistoryKind.Surgery, "Chirurgie " + Unbroken, new DateOnly(2001, 1, 1), new DateOnly(2002, 2, 2), note), professional),
            Entries(i => new TreatmentItem("Médicament-" + Unbroken, "1 comprimé matin, midi et soir pendant les repas", new DateOnly(2020, 1, 1), note), HealthEntryAuthor.Patient),
            Entries(i => new AllergyItem("Allergène-" + Unbroken, "Œdème de Quincke " + Unbroken, AllergySeverity.Severe, new DateOnly(1999, 9, 9), note), professional),
            Entries(i => new FamilyHistoryItem("Grand-mère maternelle", "Maladie " + Unbroken, note), HealthEntryAuthor.Patient),
            Entries(i => new VaccinationItem("Vaccin-" + Unbroken, new DateOnly(2021, 5, 5), "LOT-" + new string('9', 60), note), professional),
            Entries(i => new MeasurementItem(MeasurementKind.BloodPressure, 12.5m, 8m, "cmHg", new DateOnly(2024, 1, 1), note), HealthEntryAuthor.Patient),
            new WishesView(new HealthWishes(OrganDonationChoice.Accepts, "Directives : " + Unbroken + " " + note, "Conservées chez " + Unbroken), At, 1),
            Entries(i => new ContactItem(LongName, "Sœur", "+33 6 12 34 56 78", note), HealthEntryAuthor.Patient),
            Entries(i => new FollowerItem("10101010101", "Dr " + LongName, "Médecin", "Médecin traitant " + Unbroken, note), professional));
        var report = new HealthProfileReport(LongName, new DateOnly(1987, 11, 5), At, profile);

        var pdf = LetterRenderer.RenderHealthProfile(report);

        await PdfLayout.ShouldStayWithinMarginsAsync(pdf, LetterRenderer.Margin, minimumPages: 3);
    }

    private static List<HealthEntry<TItem>> Entries<TItem>(Func<int, TItem> item, HealthEntryAuthor author)
        where TItem : class, IHealthItem =>
        Enumerable.Range(1, 12).Select(i => new HealthEntry<TItem>(Guid.NewGuid(), item(i), author, At, At, 1)).ToList();

    private static string Unspaced(string text) => Whitespace().Replace(text, string.Empty);

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
