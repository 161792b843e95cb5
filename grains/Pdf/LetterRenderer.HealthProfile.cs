using System.Globalization;
using MonEspaceSante.HealthProfiles;

namespace MonEspaceSante.Pdf;

public static partial class LetterRenderer
{
    /// <summary>
    /// The health profile synthesis: every section with its entries as text (pages follow as
    /// needed), each entry with who wrote it, so a printed copy says where each fact came from.
    /// </summary>
    public static byte[] RenderHealthProfile(HealthProfileReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        EmbeddedFontResolver.EnsureRegistered();
        var exportedAt = FormatInstant(report.ExportedAt);
        const string title = "Synthèse du profil médical";
        var profile = report.Profile;

        using var document = NewDocument(title, $"Profil médical, édité le {exportedAt}");
        var fonts = new LetterFonts();
        using var writer = new PageWriter(document, fonts, $"{ServiceName} - Profil médical - {exportedAt}");

        writer.Paragraph(ServiceName, fonts.Brand, brush: writer.Accent);
        writer.Paragraph("Votre espace numérique de santé", fonts.Small);
        writer.Space(24);
        writer.Paragraph(title, fonts.Title);
        writer.Space(12);
        writer.Field("Titulaire :", report.FullName);
        writer.Field("Date de naissance :", FormatDate(report.BirthDate));
        writer.Field("Édité le :", exportedAt);

        Section(writer, fonts, "Antécédents médicaux", profile.History, HealthProfileText.Describe);
        Section(writer, fonts, "Traitements en cours", profile.Treatments, HealthProfileText.Describe);
        Section(writer, fonts, "Allergies", profile.Allergies, HealthProfileText.Describe);
        Section(writer, fonts, "Antécédents familiaux", profile.FamilyHistory, HealthProfileText.Describe);
        Section(writer, fonts, "Vaccinations", profile.Vaccinations, HealthProfileText.Describe);
        Section(writer, fonts, "Mesures", profile.Measurements, HealthProfileText.Describe);

        writer.Space(14);
        writer.Paragraph("Volontés", fonts.Heading, brush: writer.Accent);
        writer.Space(2);
        foreach (var line in HealthProfileText.Describe(profile.Wishes))
        {
            writer.Bullet(line, fonts.Body);
        }

        Section(writer, fonts, "Personnes à prévenir", profile.Contacts, HealthProfileText.Describe);
        Section(writer, fonts, "Professionnels qui me suivent", profile.Followers, HealthProfileText.Describe);

        writer.Space(14);
        writer.Paragraph(
            "Ce document reprend le profil médical tel que le titulaire et les professionnels autorisés l'ont renseigné à la date d'édition. "
            + "Il ne remplace pas l'avis d'un professionnel de santé.",
            fonts.Small);
        return writer.Finish();
    }

    private static void Section<TItem>(PageWriter writer, LetterFonts fonts, string heading, IReadOnlyList<HealthEntry<TItem>> entries, Func<TItem, string> describe)
        where TItem : class, IHealthItem
    {
        writer.Space(14);
        writer.Paragraph($"{heading} ({entries.Count.ToString(CultureInfo.InvariantCulture)})", fonts.Heading, brush: writer.Accent);
        writer.Space(2);
        if (entries.Count == 0)
        {
            writer.Paragraph("Rien n'est renseigné.", fonts.Body);
            return;
        }

        foreach (var entry in entries)
        {
            writer.Bullet($"{describe(entry.Item)} - {HealthProfileText.Author(entry.Author)}, le {FormatDate(DateOnly.FromDateTime(entry.AddedAt.UtcDateTime))}", fonts.Body);
        }
    }
}
