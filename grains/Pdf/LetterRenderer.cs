using System.Globalization;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.License;
using PdfSharp.Pdf;

namespace MonEspaceSante.Pdf;

/// <summary>
/// Renders the postal letters of Mon Espace Santé as PDF. Each call builds its own document, fonts and stream, so
/// renders can run concurrently from several grains or jobs.
/// </summary>
public static partial class LetterRenderer
{
    private const string ServiceName = "Mon Espace Santé";

    // InvariantGlobalization is on, so fr-FR culture data does not exist: dates use explicit French-style patterns.
    private const string DatePattern = "dd/MM/yyyy";
    private const string DateTimePattern = "dd/MM/yyyy HH:mm";

    /// <summary>
    /// The blank border on every side of every page, in points (2 cm): nothing is printed outside the rectangle it
    /// leaves, which the tests check word by word.
    /// </summary>
    internal const double Margin = 56.7;

    /// <summary>Points from the left margin; places the address in the window of a standard DL envelope.</summary>
    internal const double RecipientIndent = 250;

    public static byte[] RenderActivationLetter(ActivationLetter letter)
    {
        ArgumentNullException.ThrowIfNull(letter);
        EmbeddedFontResolver.EnsureRegistered();

        var notificationDate = FormatDate(letter.NotificationDate);
        var validUntil = FormatDate(letter.ValidUntil);

        using var document = NewDocument(
            $"{ServiceName} - Votre code provisoire d'activation",
            $"Code provisoire d'activation, référence {letter.Reference}");
        var fonts = new LetterFonts();
        using var writer = new PageWriter(document, fonts, $"{ServiceName} - Référence : {letter.Reference}");

        writer.Paragraph(ServiceName, fonts.Brand, brush: writer.Accent);
        writer.Paragraph("Votre espace numérique de santé", fonts.Small);

        writer.MoveTo(130);
        writer.Paragraph(letter.FullName, fonts.Body, indent: RecipientIndent);
        foreach (var addressLine in SplitLines(letter.PostalAddress))
        {
            writer.Paragraph(addressLine, fonts.Body, indent: RecipientIndent);
        }

        writer.Space(24);
        writer.Paragraph($"Le {notificationDate}", fonts.Body, indent: RecipientIndent);
        writer.Paragraph($"Référence : {letter.Reference}", fonts.Body, indent: RecipientIndent);

        writer.Space(24);
        writer.Paragraph($"Objet : votre code provisoire d'activation {ServiceName}", fonts.Heading);
        writer.Space(8);
        writer.Paragraph("Madame, Monsieur,", fonts.Body);
        writer.Space(4);
        writer.Paragraph(
            $"{ServiceName}, votre espace numérique personnel de santé, va être créé pour vous. Il vous permettra de "
            + "conserver et de partager en toute confidentialité vos documents et données de santé avec les "
            + "professionnels de santé de votre choix.",
            fonts.Body);

        writer.Space(10);
        writer.Paragraph("Votre code provisoire d'activation :", fonts.Body);
        writer.Space(4);
        writer.Boxed(letter.ActivationCode, fonts.Code);
        writer.Space(4);
        writer.Paragraph($"Ce code est valable jusqu'au {validUntil}.", fonts.BodyBold);

        writer.Space(12);
        writer.Paragraph("Pour activer votre espace", fonts.Heading, brush: writer.Accent);
        writer.Space(2);
        writer.Paragraph($"Connectez-vous au service {ServiceName} et munissez-vous de :", fonts.Body);
        writer.Bullet("ce code provisoire d'activation ;", fonts.Body);
        writer.Bullet("votre numéro de sécurité sociale (NIR) ;", fonts.Body);
        writer.Bullet("le numéro de série de votre carte Vitale ;", fonts.Body);
        writer.Bullet("une adresse e-mail personnelle, qui servira à vous informer de l'activité de votre espace.", fonts.Body);

        writer.Space(12);
        writer.Paragraph("Pour vous opposer à la création de votre espace", fonts.Heading, brush: writer.Accent);
        writer.Space(2);
        writer.Paragraph(
            $"Vous disposez d'un délai de 6 semaines à compter du {notificationDate} pour vous y opposer, "
            + $"en utilisant ce même code sur le service {ServiceName}.",
            fonts.Body);

        writer.Space(10);
        writer.Paragraph(
            "Sans réponse de votre part dans ce délai de 6 semaines, votre espace sera activé automatiquement.",
            fonts.BodyBold);

        writer.Space(16);
        writer.Paragraph(
            "Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations distinguées.",
            fonts.Body);

        return writer.Finish();
    }

    public static byte[] RenderOppositionProof(OppositionProof proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        EmbeddedFontResolver.EnsureRegistered();

        // Stored instants may carry any offset; the certificate always states UTC so two copies never disagree.
        var opposedAt = proof.OpposedAt.UtcDateTime.ToString(DateTimePattern, CultureInfo.InvariantCulture) + " UTC";
        const string title = "Attestation d'opposition à la création de Mon Espace Santé";

        using var document = NewDocument(title, $"Attestation d'opposition, référence {proof.Reference}");
        var fonts = new LetterFonts();
        using var writer = new PageWriter(document, fonts, $"{ServiceName} - Référence : {proof.Reference}");

        writer.Paragraph(ServiceName, fonts.Brand, brush: writer.Accent);
        writer.Paragraph("Votre espace numérique de santé", fonts.Small);

        writer.Space(48);
        writer.Paragraph(title, fonts.Title);
        writer.Space(24);

        writer.Field("Nom :", proof.FullName);
        writer.Field("Date de naissance :", FormatDate(proof.BirthDate));
        writer.Field("Date de l'opposition :", opposedAt);
        writer.Field("Référence :", proof.Reference);

        writer.Space(24);
        writer.Paragraph(
            $"Nous attestons que la personne désignée ci-dessus s'est opposée, le {opposedAt}, à la création de son "
            + $"espace {ServiceName}. Aucun espace n'a été créé à son nom.",
            fonts.Body);
        writer.Space(10);
        writer.Paragraph(
            "Cette décision n'est pas définitive : la personne peut demander ultérieurement un nouveau code afin "
            + "d'activer son espace.",
            fonts.Body);
        writer.Space(10);
        writer.Paragraph("Document à conserver.", fonts.BodyBold);

        return writer.Finish();
    }

    private static string FormatDate(DateOnly date) => date.ToString(DatePattern, CultureInfo.InvariantCulture);

    private static IEnumerable<string> SplitLines(string text) =>
        text.Split('\n')
            .Select(line => line.TrimEnd('\r').Trim())
            .Where(line => line.Length > 0);

    private static PdfDocument NewDocument(string title, string subject)
    {
        PdfDocument document;
        try
        {
            document = new PdfDocument();
        }
        catch (PdfSharpLicenseException ex)
        {
            // PDFsharp 6.5 is AGPL-3.0 or commercial and refuses to work until the process picks one. That is a
            // licensing decision for the host, not for this renderer, so it is surfaced rather than made here.
            throw new InvalidOperationException(
                "PDFsharp requires the host to select its license at startup, before any letter is rendered: "
                + "PdfSharpLicense.SetAgplLicense() (AGPL-3.0 obligations apply) or PdfSharpLicense.LoadLicense(key).",
                ex);
        }

        document.Info.Title = title;
        document.Info.Subject = subject;
        document.Info.Author = ServiceName;
        document.Info.Creator = ServiceName;
        return document;
    }

    /// <summary>
    /// Fonts are created per render: XFont instances are not documented as safe to share across threads.
    /// </summary>
    /// <remarks>
    /// Personal data (names, addresses) is set in the regular face on purpose. PDFsharp 6.5 subsets fonts following
    /// only one level of composite glyphs, and DejaVu Sans Bold builds a few letters from nested composites (for
    /// instance "š"), which would print without their accent. The regular face only does so for letters carrying
    /// two diacritics (Vietnamese "ễ", Pinyin "ǖ"); French accents are unaffected in both faces.
    /// </remarks>
    private sealed class LetterFonts
    {
        // Unicode encoding writes a ToUnicode map, which keeps accented text extractable (search, accessibility).
        private static readonly XPdfFontOptions Options = new(PdfFontEncoding.Unicode);

        public XFont Brand { get; } = Create(18, bold: true);

        public XFont Title { get; } = Create(14, bold: true);

        public XFont Heading { get; } = Create(11.5, bold: true);

        public XFont Body { get; } = Create(10.5, bold: false);

        public XFont BodyBold { get; } = Create(10.5, bold: true);

        public XFont Small { get; } = Create(8.5, bold: false);

        public XFont Code { get; } = Create(26, bold: true);

        private static XFont Create(double size, bool bold) =>
            new(EmbeddedFontResolver.FamilyName, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular, Options);
    }
}
