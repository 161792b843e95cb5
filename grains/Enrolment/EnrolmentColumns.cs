namespace MonEspaceSante.Enrolment;

/// <summary>The enrolment file's columns (header names, any order, case-insensitive). Documented in docs/enrolment.md.</summary>
public static class EnrolmentColumns
{
    public const string Nir = "nir";
    public const string BirthName = "birth_name";
    public const string FirstNames = "first_names";
    public const string BirthDate = "birth_date";
    public const string Sex = "sex";
    public const string Email = "email";
    public const string PostalAddress = "postal_address";
    public const string VitaleSerial = "vitale_serial";
    public const string VitaleCardType = "vitale_card_type";
    public const string NotificationDate = "notification_date";

    public static readonly IReadOnlyList<string> All =
        [Nir, BirthName, FirstNames, BirthDate, Sex, Email, PostalAddress, VitaleSerial, VitaleCardType, NotificationDate];
}
