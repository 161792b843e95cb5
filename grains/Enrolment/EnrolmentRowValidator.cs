using System.Globalization;
using MonEspaceSante.Identity;
using MonEspaceSante.Spaces;

namespace MonEspaceSante.Enrolment;

/// <summary>Checks one row of an enrolment file; the reasons are shown to operators as they are.</summary>
public sealed class EnrolmentRowValidator(DateOnly today, TimeSpan codeValidity)
{
    private static readonly string[] DateFormats = ["yyyy-MM-dd", "dd/MM/yyyy"];

    public ParsedRow Validate(long line, Func<string, string?> field)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (!Nir.TryParse(field(EnrolmentColumns.Nir), out var nir, out var nirError))
        {
            return Reject(line, nirError);
        }

        var birthName = Clean(field(EnrolmentColumns.BirthName));
        var firstNames = Clean(field(EnrolmentColumns.FirstNames));
        if (!IsName(birthName))
        {
            return Reject(line, "birth_name is missing or has characters a name cannot have.");
        }

        if (!IsName(firstNames))
        {
            return Reject(line, "first_names is missing or has characters a name cannot have.");
        }

        if (!TryDate(field(EnrolmentColumns.BirthDate), out var birthDate))
        {
            return Reject(line, "birth_date is not a date (yyyy-MM-dd or dd/MM/yyyy).");
        }

        if (birthDate > today || birthDate.Year < 1890)
        {
            return Reject(line, "birth_date is in the future or implausibly old.");
        }

        Sex sex;
        switch (Clean(field(EnrolmentColumns.Sex))?.ToUpperInvariant())
        {
            case "M" or "H" or "1":
                sex = Sex.Male;
                break;
            case "F" or "2":
                sex = Sex.Female;
                break;
            default:
                return Reject(line, "sex must be M or F.");
        }

        if (!nir.IsTemporary)
        {
            if ((nir.SexDigit == '1') != (sex == Sex.Male))
            {
                return Reject(line, "NIR sex digit does not match sex.");
            }

            if (nir.YearOfBirth2 != birthDate.Year % 100 || (nir.MonthField <= 12 && nir.MonthField != birthDate.Month))
            {
                return Reject(line, "NIR birth year or month does not match birth_date.");
            }
        }

        string? email = null;
        var rawEmail = Clean(field(EnrolmentColumns.Email));
        if (rawEmail is not null && (email = EmailAddress.Normalize(rawEmail)) is null)
        {
            return Reject(line, "email is not a valid address.");
        }

        var address = Clean(field(EnrolmentColumns.PostalAddress));
        if (address is { Length: > 300 })
        {
            return Reject(line, "postal_address is longer than 300 characters.");
        }

        if (email is null && address is null)
        {
            return Reject(line, "an email or a postal_address is required to send the activation code.");
        }

        var serial = SpaceLifecycle.NormalizeSerial(field(EnrolmentColumns.VitaleSerial));
        if (serial.Length is < 6 or > 20)
        {
            return Reject(line, "vitale_serial must have 6 to 20 letters or digits.");
        }

        VitaleCardType cardType;
        switch (Clean(field(EnrolmentColumns.VitaleCardType))?.ToUpperInvariant())
        {
            case "WITH_PHOTO" or "PHOTO" or "2":
                cardType = VitaleCardType.WithPhoto;
                break;
            case "WITHOUT_PHOTO" or "SANS_PHOTO" or "1":
                cardType = VitaleCardType.WithoutPhoto;
                break;
            default:
                return Reject(line, "vitale_card_type must be with_photo or without_photo.");
        }

        if (!TryDate(field(EnrolmentColumns.NotificationDate), out var notificationDate))
        {
            return Reject(line, "notification_date is not a date (yyyy-MM-dd or dd/MM/yyyy).");
        }

        if (notificationDate.ToDateTime(TimeOnly.MinValue) + codeValidity <= today.ToDateTime(TimeOnly.MinValue))
        {
            return Reject(line, "notification_date is so old that the activation code would already have expired.");
        }

        if (notificationDate > today.AddYears(1))
        {
            return Reject(line, "notification_date is more than a year ahead.");
        }

        return new ParsedRow(line, new EnrolmentRow(line, nir, birthName!, firstNames!, birthDate, sex, email, address, serial, cardType, notificationDate), null);
    }

    private static ParsedRow Reject(long line, string reason) => new(line, null, reason);

    private static string? Clean(string? value)
    {
        var trimmed = value?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }

    private static bool IsName(string? value) =>
        value is { Length: <= 100 } && value.All(c => char.IsLetter(c) || c is ' ' or '-' or '\'' or '.');

    private static bool TryDate(string? value, out DateOnly date) =>
        DateOnly.TryParseExact(value?.Trim(), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
