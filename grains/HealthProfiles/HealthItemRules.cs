using System.Globalization;
using MonEspaceSante.Errors;
using MonEspaceSante.Identity;

namespace MonEspaceSante.HealthProfiles;

/// <summary>
/// Checks and tidies an entry before it is stored: texts trimmed and bounded, dates plausible
/// and not in the future, enums known, measurements in a unit of their kind and in a plausible
/// range. Every problem found is named in the one 400 answer.
/// </summary>
internal static class HealthItemRules
{
    public static TItem Normalize<TItem>(TItem item, DateOnly today)
        where TItem : class, IHealthItem
    {
        ArgumentNullException.ThrowIfNull(item);
        var problems = new List<string>();
        object normalized = item switch
        {
            MedicalHistoryItem h => History(h, today, problems),
            TreatmentItem t => new TreatmentItem(
                Text(t.Medication, "medication", HealthProfileLimits.LabelLength, problems, required: true),
                Text(t.Dosage, "dosage", HealthProfileLimits.LabelLength, problems),
                Past(t.StartDate, "startDate", today, problems),
                Note(t.Note, problems)),
            AllergyItem a => new AllergyItem(
                Text(a.Allergen, "allergen", HealthProfileLimits.LabelLength, problems, required: true),
                Text(a.Reaction, "reaction", HealthProfileLimits.LabelLength, problems),
                Known(a.Severity, "severity", problems, required: false),
                Past(a.Since, "since", today, problems),
                Note(a.Note, problems)),
            FamilyHistoryItem f => new FamilyHistoryItem(
                Text(f.Relative, "relative", HealthProfileLimits.ShortTextLength, problems, required: true),
                Text(f.Condition, "condition", HealthProfileLimits.LabelLength, problems, required: true),
                Note(f.Note, problems)),
            VaccinationItem v => new VaccinationItem(
                Text(v.Vaccine, "vaccine", HealthProfileLimits.LabelLength, problems, required: true),
                Past(v.Date, "date", today, problems, required: true),
                Text(v.Lot, "lot", HealthProfileLimits.LotLength, problems),
                Note(v.Note, problems)),
            MeasurementItem m => MeasurementRules.Normalize(m, today, problems),
            ContactItem c => new ContactItem(
                Text(c.Name, "name", HealthProfileLimits.LabelLength, problems, required: true),
                Text(c.Relation, "relation", HealthProfileLimits.ShortTextLength, problems),
                Phone(c.Phone, problems),
                Note(c.Note, problems)),
            FollowerItem f => new FollowerItem(
                Rpps.TryParse(f.Rpps, out var rpps) ? rpps.Value : Problem<string>(problems, "rpps must be 11 digits with a valid check digit (or 8 + RPPS)."),
                Text(f.Name, "name", HealthProfileLimits.LabelLength, problems),
                Text(f.Profession, "profession", HealthProfileLimits.ShortTextLength, problems),
                Text(f.Role, "role", HealthProfileLimits.ShortTextLength, problems),
                Note(f.Note, problems)),
            _ => throw new ArgumentException($"{item.GetType().Name} is not a health profile item."),
        };

        return problems.Count == 0 ? (TItem)normalized : throw Invalid(problems);
    }

    public static HealthWishes Normalize(HealthWishes wishes)
    {
        ArgumentNullException.ThrowIfNull(wishes);
        var problems = new List<string>();
        var normalized = new HealthWishes(
            Known(wishes.OrganDonation, "organDonation", problems, required: false) ?? OrganDonationChoice.NotStated,
            Text(wishes.AdvanceDirectives, "advanceDirectives", HealthProfileLimits.AdvanceDirectivesLength, problems, multiline: true),
            Text(wishes.AdvanceDirectivesReference, "advanceDirectivesReference", HealthProfileLimits.ReferenceLength, problems));
        return problems.Count == 0 ? normalized : throw Invalid(problems);
    }

    public static DomainException Invalid(List<string> problems) =>
        new(DomainError.InvalidRequest, string.Join(" ", problems));

    private static MedicalHistoryItem History(MedicalHistoryItem h, DateOnly today, List<string> problems)
    {
        var start = Past(h.StartDate, "startDate", today, problems);
        var end = Past(h.EndDate, "endDate", today, problems);
        if (start is { } s && end is { } e && e < s)
        {
            problems.Add("endDate must not be before startDate.");
        }

        return new MedicalHistoryItem(
            Known(h.Kind, "kind", problems, required: true),
            Text(h.Label, "label", HealthProfileLimits.LabelLength, problems, required: true),
            start,
            end,
            Note(h.Note, problems));
    }

    /// <summary>Trimmed text within <paramref name="max"/> characters, on one line unless <paramref name="multiline"/>; empty becomes null.</summary>
    public static string? Text(string? value, string field, int max, List<string> problems, bool required = false, bool multiline = false)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            if (required)
            {
                problems.Add($"{field} is required (1 to {max} characters).");
            }

            return null;
        }

        if (text.Length > max)
        {
            problems.Add($"{field} is at most {max} characters ({text.Length} given).");
        }
        else if (text.Any(c => char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t')))
        {
            problems.Add(multiline ? $"{field} must not contain control characters other than line breaks and tabs." : $"{field} must be on one line, without control characters.");
        }

        return text;
    }

    private static string? Note(string? value, List<string> problems) =>
        Text(value, "note", HealthProfileLimits.NoteLength, problems, multiline: true);

    /// <summary>A date between 1900 and today, as a health fact is always in the past.</summary>
    public static DateOnly? Past(DateOnly? value, string field, DateOnly today, List<string> problems, bool required = false)
    {
        if (value is not { } date)
        {
            if (required)
            {
                problems.Add($"{field} is required (a date, yyyy-MM-dd).");
            }

            return null;
        }

        if (date < HealthProfileLimits.Earliest || date > today)
        {
            problems.Add($"{field} must be between {HealthProfileLimits.Earliest:yyyy-MM-dd} and today ({today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}), not in the future.");
        }

        return date;
    }

    private static T? Known<T>(T? value, string field, List<string> problems, bool required)
        where T : struct, Enum
    {
        if (value is not { } known)
        {
            if (required)
            {
                problems.Add($"{field} is required, one of: {string.Join(", ", Enum.GetNames<T>())}.");
            }

            return null;
        }

        if (!Enum.IsDefined(known))
        {
            problems.Add($"{field} must be one of: {string.Join(", ", Enum.GetNames<T>())}.");
        }

        return known;
    }

    /// <summary>A phone number as people write it: digits with spaces, dots, dashes or brackets, an optional leading +, 4 to 15 digits.</summary>
    private static string? Phone(string? value, List<string> problems)
    {
        var phone = Text(value, "phone", HealthProfileLimits.PhoneLength, problems, required: true);
        if (phone is null)
        {
            return null;
        }

        var body = phone.StartsWith('+') ? phone[1..] : phone;
        var digits = body.Count(char.IsAsciiDigit);
        if (body.Any(c => !char.IsAsciiDigit(c) && c is not (' ' or '.' or '-' or '(' or ')')) || digits is < 4 or > 15)
        {
            problems.Add("phone must be 4 to 15 digits, optionally with a leading + and spaces, dots, dashes or brackets.");
        }

        return phone;
    }

    private static T? Problem<T>(List<string> problems, string problem)
        where T : class
    {
        problems.Add(problem);
        return null;
    }
}
