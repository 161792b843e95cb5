using System.Globalization;
using System.Text;
using MonEspaceSante.Identity;

namespace MonEspaceSante.Tests.Infrastructure;

/// <summary>A generated insured person, with everything needed to activate their space later.</summary>
public sealed record Person(string Nir, string BirthName, string FirstNames, DateOnly BirthDate, string Sex, string? Email, string? PostalAddress, string VitaleSerial, string CardType, DateOnly NotificationDate)
{
    public string ToCsvLine() => string.Join(';',
        Nir, BirthName, FirstNames, BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Sex,
        Email ?? "", Quote(PostalAddress ?? ""), VitaleSerial, CardType, NotificationDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    private static string Quote(string value) => value.Contains('\n', StringComparison.Ordinal) || value.Contains(';', StringComparison.Ordinal) || value.Contains('"', StringComparison.Ordinal)
        ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
        : value;
}

/// <summary>Generates valid insured people and enrolment files (used by tests and the benchmark).</summary>
public static class EnrolmentFiles
{
    public const string Header = "nir;birth_name;first_names;birth_date;sex;email;postal_address;vitale_serial;vitale_card_type;notification_date";

    /// <summary>The <paramref name="index"/>-th person of a deterministic series; distinct indexes give distinct NIRs.</summary>
    public static Person Person(long index, DateOnly notificationDate, bool withEmail = true, string department = "75")
    {
        // (high, commune, order) is unique per index, and high maps to distinct (sex, birth month) pairs.
        var order = index % 999 + 1;
        var commune = index / 999 % 999 + 1;
        var high = index / 998_001;
        var female = high % 2 == 1;
        var birth = new DateOnly(1950, 1, 1).AddDays((int)(high / 2 * 31));
        var first13 = string.Create(CultureInfo.InvariantCulture,
            $"{(female ? 2 : 1)}{birth.Year % 100:D2}{birth.Month:D2}{department}{commune:D3}{order:D3}");
        var nir = first13 + Nir.ComputeKey(first13).ToString("D2", CultureInfo.InvariantCulture);
        return new Person(
            nir,
            "Martin" + Letters(index),
            index % 2 == 1 ? "Élodie" : "Jérôme",
            birth,
            female ? "F" : "M",
            withEmail ? $"person{index}@example.org" : null,
            withEmail ? null : $"{index % 200 + 1} rue de la Paix\n75002 Paris",
            (100_000_000 + index).ToString(CultureInfo.InvariantCulture),
            index % 3 == 0 ? "without_photo" : "with_photo",
            notificationDate);
    }

    public static string Csv(IEnumerable<Person> people, IEnumerable<string>? extraLines = null)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var person in people)
        {
            text.Append(person.ToCsvLine()).Append('\n');
        }

        foreach (var line in extraLines ?? [])
        {
            text.Append(line).Append('\n');
        }

        return text.ToString();
    }

    private static string Letters(long index)
    {
        var chars = new StringBuilder();
        do
        {
            chars.Append((char)('a' + index % 26));
            index /= 26;
        }
        while (index > 0);
        return chars.ToString();
    }
}
