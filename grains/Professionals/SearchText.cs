using System.Globalization;
using System.Text;

namespace MonEspaceSante.Professionals;

/// <summary>
/// The form names, cities and labels are stored and searched in: upper case, accents dropped,
/// ligatures spelled out, and any run of other characters (spaces, hyphens, apostrophes) as
/// one space. "Jean-Éloïse N'Diaye" and "jean eloise n diaye" are then the same text, so both
/// sides of a comparison must go through here.
/// </summary>
public static class SearchText
{
    /// <summary>
    /// The base letter of each of U+00C0 to U+017F (Latin-1 and Latin Extended-A: every letter
    /// of French and of most European names); <c>*</c> for those spelled with two letters, a
    /// space for the two signs in the range (× and ÷). Needed because the silo runs with
    /// invariant globalization, where <see cref="string.Normalize(NormalizationForm)"/> leaves
    /// precomposed letters as they are; decomposition still handles letters followed by
    /// combining marks, and the table the rest.
    /// </summary>
    private const string LatinBase =
        "AAAAAA*CEEEEIIIIDNOOOOO OUUUUY**AAAAAA*CEEEEIIIIDNOOOOO OUUUUY*Y" +
        "AAAAAACCCCCCCCDDDDEEEEEEEEEEGGGGGGGGHHHHIIIIIIIIII**JJKKKLLLLLLL" +
        "LLLNNNNNNNNNOOOOOO**RRRRRRSSSSSSSSTTTTTTUUUUUUUUUUUUWWYYYZZZZZZS";

    private const char FirstLatin = '\u00C0';

    public static string Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }

        var decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        var pendingSpace = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            var folded = Fold(c);
            if (folded is null)
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(folded);
        }

        return builder.ToString();
    }

    /// <summary>
    /// The smallest string greater than every string starting with <paramref name="prefix"/>
    /// (its last character incremented), so a prefix search is the index range
    /// <c>&gt;= prefix and &lt; PrefixEnd(prefix)</c> under a byte-order collation.
    /// </summary>
    public static string PrefixEnd(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        return string.Concat(prefix.AsSpan(0, prefix.Length - 1), ((char)(prefix[^1] + 1)).ToString());
    }

    /// <summary>A letter or digit in upper case without accent; null for anything else (a separator).</summary>
    private static string? Fold(char c)
    {
        if (c is >= FirstLatin and < (char)(FirstLatin + 192))
        {
            return LatinBase[c - FirstLatin] switch
            {
                ' ' => null,
                '*' => c switch
                {
                    'Æ' or 'æ' => "AE",
                    'Œ' or 'œ' => "OE",
                    'Ĳ' or 'ĳ' => "IJ",
                    'Þ' or 'þ' => "TH",
                    _ => "SS", // ß
                },
                var letter => letter.ToString(),
            };
        }

        return char.IsLetterOrDigit(c) ? char.ToUpperInvariant(c).ToString() : null;
    }
}
