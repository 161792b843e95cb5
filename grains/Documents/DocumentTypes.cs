using System.Text.RegularExpressions;

namespace MonEspaceSante.Documents;

/// <summary>
/// LOINC document type codes (ANS terminology TRE_A04) and their link to the record's
/// categories. A code's check digit is verified (LOINC's mod-10 algorithm); a known code
/// gives the category when the uploader names none, and a category gives a default code.
/// </summary>
public static partial class DocumentTypes
{
    private static readonly Dictionary<string, DocumentCategory> Known = new(StringComparer.Ordinal)
    {
        ["11488-4"] = DocumentCategory.ConsultationReport,
        ["11490-0"] = DocumentCategory.Hospitalisation,
        ["11502-2"] = DocumentCategory.LabResult,
        ["18748-4"] = DocumentCategory.Imaging,
        ["15507-7"] = DocumentCategory.Hospitalisation,
        ["11369-6"] = DocumentCategory.Vaccination,
        ["18761-7"] = DocumentCategory.Hospitalisation,
        ["60591-5"] = DocumentCategory.Other,
        ["57833-6"] = DocumentCategory.Prescription,
        ["34133-9"] = DocumentCategory.Other,
        ["51851-4"] = DocumentCategory.Other,
    };

    public static string DefaultCode(DocumentCategory category) => category switch
    {
        DocumentCategory.Prescription => "57833-6",
        DocumentCategory.LabResult => "11502-2",
        DocumentCategory.Imaging => "18748-4",
        DocumentCategory.Hospitalisation => "11490-0",
        DocumentCategory.Vaccination => "11369-6",
        DocumentCategory.ConsultationReport => "11488-4",
        DocumentCategory.Other => "34133-9",
        // Administrative papers: LOINC's "Administrative note".
        _ => "51851-4",
    };

    public static DocumentCategory? CategoryOf(string code) => Known.TryGetValue(code, out var category) ? category : null;

    /// <summary>A LOINC code: 1 to 7 digits, a dash, and its check digit.</summary>
    public static bool IsValid(string? code)
    {
        if (code is null || !Shape().IsMatch(code))
        {
            return false;
        }

        var dash = code.IndexOf('-', StringComparison.Ordinal);
        var sum = 0;
        var doubleIt = true;
        for (var i = dash - 1; i >= 0; i--)
        {
            var digit = code[i] - '0';
            if (doubleIt)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }

            sum += digit;
            doubleIt = !doubleIt;
        }

        return (10 - (sum % 10)) % 10 == code[^1] - '0';
    }

    [GeneratedRegex(@"^[0-9]{1,7}-[0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
