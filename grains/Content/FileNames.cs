using System.Globalization;
using System.Text;

namespace MonEspaceSante.Content;

/// <summary>
/// The name a document or an attachment is kept and offered under. A sent name is only a label:
/// never a path (whatever separator the sender's system uses), never a control or invisible
/// character (a line break would split a header or a log line), nothing a common file system
/// refuses. Normalised rather than refused, so software that sends full paths still works.
/// Clients read the rule in words in <see cref="Documents.FileNameRule"/> (API and docs): change both together.
/// </summary>
public static class FileNames
{
    public const int MaxLength = 255;

    // Refused by Windows file systems; harmless here, but the patient downloads onto one.
    private const string Reserved = "<>:\"|?*";

    /// <summary>The safe base name, or null when nothing usable is left (the caller then names it).</summary>
    public static string? Safe(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var start = Math.Max(name.LastIndexOf('/'), name.LastIndexOf('\\')) + 1;
        var kept = new StringBuilder(name.Length - start);
        foreach (var rune in name[start..].EnumerateRunes())
        {
            switch (Rune.GetUnicodeCategory(rune))
            {
                case UnicodeCategory.Control:
                case UnicodeCategory.Format:
                case UnicodeCategory.LineSeparator:
                case UnicodeCategory.ParagraphSeparator:
                case UnicodeCategory.PrivateUse:
                case UnicodeCategory.OtherNotAssigned:
                    continue;
                default:
                    kept.Append(rune.IsAscii && Reserved.Contains((char)rune.Value, StringComparison.Ordinal) ? "_" : rune.ToString());
                    break;
            }
        }

        // Leading dots would hide the file or climb a folder; trailing dots and spaces vanish on Windows.
        var safe = kept.ToString().Trim().TrimStart('.').TrimEnd('.', ' ');
        if (safe.Length == 0)
        {
            return null;
        }

        if (safe.Length > MaxLength)
        {
            var extension = Path.GetExtension(safe);
            extension = extension.Length is > 1 and <= 16 ? extension : "";
            safe = safe[..(MaxLength - extension.Length)].TrimEnd('.', ' ') + extension;
        }

        return safe;
    }
}
