namespace MonEspaceSante.Professionals;

/// <summary>A professional as written to the directory: the row's values, search columns included.</summary>
public sealed record ProfessionalRecord(ProfessionalInfo Info, string SearchName, string SearchFirstLast, string SearchProfession, string? SearchCity)
{
    public static ProfessionalRecord From(ProfessionalInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var last = SearchText.Normalize(info.LastName);
        var first = SearchText.Normalize(info.FirstName);
        var city = SearchText.Normalize(info.City);
        return new ProfessionalRecord(
            info,
            $"{last} {first}".TrimEnd(),
            $"{first} {last}".TrimStart(),
            SearchText.Normalize(info.Profession),
            city.Length == 0 ? null : city);
    }
}
