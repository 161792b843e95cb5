using System.Globalization;
using MonEspaceSante.HealthProfiles;

namespace MonEspaceSante.Pdf;

/// <summary>Each health profile entry as one line of French text, for the PDF synthesis.</summary>
internal static class HealthProfileText
{
    public static string Describe(MedicalHistoryItem item) =>
        Join($"{Kind(item.Kind)} : {item.Label}", Period(item.StartDate, item.EndDate), item.Note);

    public static string Describe(TreatmentItem item) =>
        Join(item.Medication, item.Dosage, item.StartDate is { } start ? $"depuis le {Date(start)}" : null, item.Note);

    public static string Describe(AllergyItem item) =>
        Join(item.Allergen, item.Reaction is { } reaction ? $"réaction : {reaction}" : null, Severity(item.Severity), item.Since is { } since ? $"depuis le {Date(since)}" : null, item.Note);

    public static string Describe(FamilyHistoryItem item) => Join($"{item.Relative} : {item.Condition}", item.Note);

    public static string Describe(VaccinationItem item) =>
        Join(item.Vaccine, item.Date is { } date ? $"le {Date(date)}" : null, item.Lot is { } lot ? $"lot {lot}" : null, item.Note);

    public static string Describe(MeasurementItem item)
    {
        var value = item.Kind == MeasurementKind.BloodPressure
            ? $"{Number(item.Value)}/{Number(item.Diastolic)} {item.Unit}"
            : $"{Number(item.Value)} {item.Unit}";
        return Join($"{MeasurementName(item.Kind)} : {value}", item.Date is { } date ? $"le {Date(date)}" : null, item.Note);
    }

    public static string Describe(ContactItem item) => Join(item.Name, item.Relation, $"tél. {item.Phone}", item.Note);

    public static string Describe(FollowerItem item) =>
        Join(item.Name, item.Profession, item.Role, $"RPPS {item.Rpps}", item.Note);

    public static IEnumerable<string> Describe(WishesView wishes)
    {
        ArgumentNullException.ThrowIfNull(wishes);
        yield return "Don d'organes : " + (wishes.Wishes.OrganDonation switch
        {
            OrganDonationChoice.Accepts => "accepte le don de ses organes",
            OrganDonationChoice.Refuses => "refuse le don de ses organes",
            _ => "non renseigné",
        });
        yield return "Directives anticipées : " + (wishes.Wishes.AdvanceDirectives ?? "non renseignées");
        if (wishes.Wishes.AdvanceDirectivesReference is { } reference)
        {
            yield return "Directives anticipées conservées : " + reference;
        }
    }

    public static string Author(HealthEntryAuthor author)
    {
        ArgumentNullException.ThrowIfNull(author);
        if (author.Kind == HealthAuthorKind.Patient)
        {
            return "ajouté par le titulaire";
        }

        var who = Join(author.Name ?? $"RPPS {author.Rpps}", author.Profession);
        return author.Software is { } software ? $"ajouté par {who} via le logiciel {software}" : $"ajouté par {who}";
    }

    private static string Join(params string?[] parts) => string.Join(", ", parts.Where(p => !string.IsNullOrWhiteSpace(p)));

    private static string Date(DateOnly date) => date.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    private static string? Period(DateOnly? start, DateOnly? end) => (start, end) switch
    {
        ({ } s, { } e) => $"du {Date(s)} au {Date(e)}",
        ({ } s, null) => $"depuis le {Date(s)}",
        (null, { } e) => $"jusqu'au {Date(e)}",
        _ => null,
    };

    private static string Number(decimal? value) => value?.ToString("0.##", CultureInfo.InvariantCulture) ?? "?";

    private static string Kind(MedicalHistoryKind? kind) => kind switch
    {
        MedicalHistoryKind.Illness => "Maladie",
        MedicalHistoryKind.Hospitalisation => "Hospitalisation",
        MedicalHistoryKind.Surgery => "Chirurgie",
        MedicalHistoryKind.PastTreatment => "Traitement passé",
        _ => "Antécédent",
    };

    private static string? Severity(AllergySeverity? severity) => severity switch
    {
        AllergySeverity.Mild => "légère",
        AllergySeverity.Moderate => "modérée",
        AllergySeverity.Severe => "sévère",
        _ => null,
    };

    private static string MeasurementName(MeasurementKind? kind) => kind switch
    {
        MeasurementKind.Height => "Taille",
        MeasurementKind.Weight => "Poids",
        MeasurementKind.BloodPressure => "Tension artérielle",
        MeasurementKind.HeartRate => "Fréquence cardiaque",
        MeasurementKind.Temperature => "Température",
        MeasurementKind.BloodGlucose => "Glycémie",
        MeasurementKind.WaistCircumference => "Tour de taille",
        MeasurementKind.OxygenSaturation => "Saturation en oxygène",
        _ => "Mesure",
    };
}
