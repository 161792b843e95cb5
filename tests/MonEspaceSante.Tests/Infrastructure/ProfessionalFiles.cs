using System.Net.Http.Json;
using System.Text;
using MonEspaceSante.Professionals;

namespace MonEspaceSante.Tests.Infrastructure;

/// <summary>
/// Builds files in the shape of the public RPPS extract ("PS_LibreAcces_Personne_activite"),
/// and a few valid professionals to put in them, so any test can fill the directory.
/// </summary>
public static class ProfessionalFiles
{
    /// <summary>The extract's header, trailing separator included, as the national file has it.</summary>
    public const string Header =
        "Type d'identifiant PP|Identifiant PP|Identification nationale PP|Code civilité d'exercice|Libellé civilité d'exercice|Code civilité|Libellé civilité|" +
        "Nom d'exercice|Prénom d'exercice|Code profession|Libellé profession|Code catégorie professionnelle|Libellé catégorie professionnelle|" +
        "Code type savoir-faire|Libellé type savoir-faire|Code savoir-faire|Libellé savoir-faire|Code mode exercice|Libellé mode exercice|" +
        "Numéro SIRET site|Numéro SIREN site|Numéro FINESS site|Numéro FINESS établissement juridique|Identifiant technique de la structure|" +
        "Raison sociale site|Enseigne commerciale site|Complément destinataire (coord. structure)|Complément point géographique (coord. structure)|" +
        "Numéro Voie (coord. structure)|Indice répétition voie (coord. structure)|Code type de voie (coord. structure)|Libellé type de voie (coord. structure)|" +
        "Libellé Voie (coord. structure)|Mention distribution (coord. structure)|Bureau cedex (coord. structure)|Code postal (coord. structure)|" +
        "Code commune (coord. structure)|Libellé commune (coord. structure)|Code pays (coord. structure)|Libellé pays (coord. structure)|" +
        "Téléphone (coord. structure)|Téléphone 2 (coord. structure)|Télécopie (coord. structure)|Adresse e-mail (coord. structure)|" +
        "Code Département (structure)|Libellé Département (structure)|Ancien identifiant de la structure|Autorité d'enregistrement|" +
        "Code secteur d'activité|Libellé secteur d'activité|Code section tableau pharmaciens|Libellé section tableau pharmaciens|Code rôle|Libellé rôle|" +
        "Code genre activité|Libellé genre activité|";

    /// <summary>A general practitioner, the author of the sample lab reports (RPPS 10003456786).</summary>
    public static readonly ProfessionalInfo Physician = new(
        "10003456786", "MARTIN", "Claire", "10", "Médecin", "Qualifié en Médecine Générale", null, "CABINET DU DR CLAIRE MARTIN", "Paris");

    public static readonly ProfessionalInfo Pharmacist = new(
        "10003456794", "LEFÈVRE", "Éloïse", "21", "Pharmacien", null, "420001234", "PHARMACIE DU MARCHÉ", "Saint-Étienne");

    public static readonly ProfessionalInfo Nurse = new(
        "10003456802", "DUPONT-MOREAU", "Jérôme", "60", "Infirmier", null, null, "CABINET INFIRMIER DES PENTES", "Lyon");

    public static readonly ProfessionalInfo Midwife = new(
        "10003456810", "N'DIAYE", "Aïcha", "50", "Sage-Femme", null, "750100208", "MATERNITÉ PORT-ROYAL", "Paris");

    public static IReadOnlyList<ProfessionalInfo> ReadyMade => [Physician, Pharmacist, Nurse, Midwife];

    /// <summary>An extract holding one activity row per professional given.</summary>
    public static string Csv(params ProfessionalInfo[] people) => Csv(people, null);

    /// <summary>An extract of these professionals, then <paramref name="extraLines"/> as they are, with the given separator.</summary>
    public static string Csv(IEnumerable<ProfessionalInfo> people, IEnumerable<string>? extraLines, char separator = '|')
    {
        var text = new StringBuilder(separator == '|' ? Header : Header.Replace('|', separator)).Append('\n');
        foreach (var person in people)
        {
            text.Append(Line(person, separator)).Append('\n');
        }

        foreach (var line in extraLines ?? [])
        {
            text.Append(line).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>One activity row, the national file's other columns filled plausibly.</summary>
    public static string Line(ProfessionalInfo person, char separator = '|', string? rpps = null, string? nationalId = null)
    {
        ArgumentNullException.ThrowIfNull(person);
        var fields = new string?[]
        {
            "8", rpps ?? person.Rpps, nationalId ?? "8" + person.Rpps, "", "", "M", "Madame", person.LastName, person.FirstName, person.ProfessionCode, person.Profession,
            "C", "Civil", person.Specialty is null ? "" : "S", person.Specialty is null ? "" : "Spécialité ordinale", person.Specialty is null ? "" : "SM54", person.Specialty,
            "L", "Libéral", "", "", person.FacilityFiness, "", "R10000001234567", person.FacilityName, "",
            "", "", "12", "", "R", "Rue", "de la Paix", "", "", "75002", "75102", person.City, "99000", "France",
            "0102030405", "", "", "", "75", "Paris", "", "CNOM/CNOM/CNOM", "SA07", "Cabinet individuel", "", "", "FON-01", "Titulaire de cabinet", "GENR01", "Activité standard",
        };
        return string.Join(separator, fields.Select(f => f ?? "")) + separator;
    }

    /// <summary>The <paramref name="index"/>-th valid RPPS of a series (Luhn check digit computed).</summary>
    public static string Rpps(int index)
    {
        var first10 = (2_000_000_000L + index).ToString(System.Globalization.CultureInfo.InvariantCulture);
        for (var check = 0; check < 10; check++)
        {
            var candidate = first10 + (char)('0' + check);
            if (MonEspaceSante.Identity.Rpps.IsValid(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("unreachable: one check digit always fits");
    }

    /// <summary>Imports an extract as an operator and returns what the import did.</summary>
    public static async Task<ProfessionalImportResult> ImportAsync(SiloFactory silo, string csv)
    {
        ArgumentNullException.ThrowIfNull(silo);
        using var client = silo.Operator();
        using var content = new StringContent(csv, Encoding.UTF8, "text/csv");
        using var response = await client.PostAsync("/api/operator/professionals", content);
        response.IsSuccessStatusCode.Should().BeTrue(await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ProfessionalImportResult>(Json.Options))!;
    }
}
