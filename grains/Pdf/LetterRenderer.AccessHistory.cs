using System.Globalization;
using MonEspaceSante.Access;

namespace MonEspaceSante.Pdf;

public static partial class LetterRenderer
{
    /// <summary>
    /// The patient's access history as a PDF: every professional access, allowed or refused,
    /// newest first, with the chain's head hash so a printed copy can be checked against the
    /// record later.
    /// </summary>
    public static byte[] RenderAccessHistory(AccessHistoryReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        EmbeddedFontResolver.EnsureRegistered();
        var exportedAt = FormatInstant(report.ExportedAt);
        const string title = "Historique des accès à votre espace";

        using var document = NewDocument(title, $"Historique des accès, exporté le {exportedAt}");
        var fonts = new LetterFonts();
        using var writer = new PageWriter(document, fonts, $"{ServiceName} - Historique des accès - {exportedAt}");

        writer.Paragraph(ServiceName, fonts.Brand, brush: writer.Accent);
        writer.Paragraph("Votre espace numérique de santé", fonts.Small);
        writer.Space(24);
        writer.Paragraph(title, fonts.Title);
        writer.Space(12);
        writer.Field("Titulaire :", report.FullName);
        writer.Field("Date de naissance :", FormatDate(report.BirthDate));
        writer.Field("Exporté le :", exportedAt);
        writer.Field("Nombre d'accès :", report.Entries.Count.ToString(CultureInfo.InvariantCulture));
        writer.Field("Intégrité :", report.Verification.Intact
            ? "Chaîne d'empreintes vérifiée, intacte"
            : $"ALTÉRATION DÉTECTÉE à l'entrée n° {report.Verification.FirstBrokenSequence}");
        if (report.Verification.HeadHash is { } head)
        {
            writer.Field("Empreinte finale :", head);
        }

        writer.Space(12);
        if (report.Entries.Count == 0)
        {
            writer.Paragraph("Aucun professionnel n'a accédé à votre espace.", fonts.Body);
        }

        foreach (var entry in report.Entries)
        {
            var who = entry.Name is { Length: > 0 } name ? $"{name} (RPPS {entry.Rpps})" : $"RPPS {entry.Rpps}";
            var line = $"n° {entry.Sequence} - {FormatInstant(entry.At)} - {who}";
            if (entry.Profession is { Length: > 0 } profession)
            {
                line += $", {profession}";
            }

            if (entry.Facility is { Length: > 0 } facility)
            {
                line += $", {facility}";
            }

            line += $" - {ActionLabel(entry.Action)} - {(entry.Outcome == AccessOutcome.Allowed ? "autorisé" : "refusé")}";
            if (entry.Emergency)
            {
                line += " - ACCÈS D'URGENCE";
            }

            if (entry.Reason is { Length: > 0 } reason)
            {
                line += $" - motif : {reason}";
            }

            if (entry.Via is { Length: > 0 } via)
            {
                line += $" - via le logiciel {via}";
            }

            writer.Bullet(line, fonts.Body);
        }

        return writer.Finish();
    }

    private static string FormatInstant(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString(DateTimePattern, CultureInfo.InvariantCulture) + " UTC";

    private static string ActionLabel(AccessAction action) => action switch
    {
        AccessAction.FindPatient => "recherche du patient",
        AccessAction.EmergencyAccess => "ouverture d'un accès d'urgence",
        AccessAction.ReadProfile => "consultation du profil",
        AccessAction.ListDocuments => "consultation de la liste des documents",
        AccessAction.ReadDocument => "consultation d'un document",
        AccessAction.DownloadDocument => "téléchargement d'un document",
        AccessAction.AddDocument => "ajout d'un document",
        AccessAction.ReleaseDocument => "mise à disposition d'un document",
        AccessAction.ReadHealthProfile => "consultation du profil médical",
        AccessAction.AddHealthProfileEntry => "ajout au profil médical",
        AccessAction.DownloadHealthProfile => "téléchargement de la synthèse du profil médical",
        AccessAction.ChangeHealthProfileEntry => "modification du profil médical",
        _ => action.ToString(),
    };
}
