using MonEspaceSante.Identity;
using MonEspaceSante.Professionals;
using MonEspaceSante.Spaces;

namespace MonEspaceSante.Access;

/// <summary>
/// Checks that a professional names the patient as the INS referential does: INS (NIR), birth
/// date and birth name must all match; a first name, when given, must be one of the birth
/// first names. Case, accents, hyphens and spaces do not count, as in identity vigilance.
/// </summary>
public static class IdentityTraits
{
    public static bool Match(PatientSpaceState state, PatientSearch search)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(search);
        if (!Nir.TryParse(search.Ins, out var nir) || nir.Value != state.Nir || search.BirthDate != state.BirthDate)
        {
            return false;
        }

        if (Fold(search.BirthName) != Fold(state.BirthName) || Fold(search.BirthName).Length == 0)
        {
            return false;
        }

        if (string.IsNullOrWhiteSpace(search.FirstName))
        {
            return true;
        }

        var wanted = Fold(search.FirstName);
        var given = state.FirstNames.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);
        return given.Any(name => Fold(name) == wanted) || Fold(state.FirstNames) == wanted;
    }

    /// <summary>Upper case, without accents, without separators: the directory's search form, spaces removed.</summary>
    public static string Fold(string? value) => SearchText.Normalize(value).Replace(" ", "", StringComparison.Ordinal);
}
