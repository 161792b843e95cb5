using System.Collections.Concurrent;
using PdfSharp.Fonts;

namespace MonEspaceSante.Pdf;

/// <summary>
/// Serves the DejaVu fonts embedded in this assembly to PDFsharp. Linux hosts have no Windows fonts, and
/// relying on whatever the container happens to ship would make letters render differently (or fail) per host.
/// </summary>
internal sealed class EmbeddedFontResolver : IFontResolver
{
    public const string FamilyName = "DejaVu Sans";

    private const string RegularFace = "DejaVuSans";
    private const string BoldFace = "DejaVuSans-Bold";

    // PDFsharp wants the same resolver instance whenever the property is set, so there is exactly one.
    private static readonly EmbeddedFontResolver Instance = new();
    private static readonly Lock Gate = new();
    private static readonly ConcurrentDictionary<string, byte[]> FontCache = new(StringComparer.Ordinal);
    private static volatile bool registered;

    private EmbeddedFontResolver()
    {
    }

    /// <summary>
    /// Installs the resolver process-wide. PDFsharp accepts the global resolver only once, before any font is used,
    /// so concurrent first renders must not race each other into setting it twice.
    /// </summary>
    public static void EnsureRegistered()
    {
        if (registered)
        {
            return;
        }

        lock (Gate)
        {
            if (registered)
            {
                return;
            }

            // A resolver installed by the host is left in place: replacing it after fonts were resolved would throw,
            // and the host is entitled to choose the fonts.
            if (GlobalFontSettings.FontResolver is null)
            {
                GlobalFontSettings.FontResolver = Instance;
            }

            registered = true;
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic)
    {
        // Every family maps to DejaVu Sans so that a typo or a default font name still produces a readable letter
        // instead of an exception in the middle of a batch. No italic face is embedded; PDFsharp slants the upright one.
        return new FontResolverInfo(bold ? BoldFace : RegularFace, mustSimulateBold: false, mustSimulateItalic: italic);
    }

    public byte[]? GetFont(string faceName)
    {
        return faceName switch
        {
            RegularFace or BoldFace => FontCache.GetOrAdd(faceName, LoadEmbeddedFont),
            _ => null,
        };
    }

    private static byte[] LoadEmbeddedFont(string faceName)
    {
        var assembly = typeof(EmbeddedFontResolver).Assembly;
        var fileName = "." + faceName + ".ttf";

        // The manifest name depends on the root namespace and folder layout; matching the suffix keeps this
        // working if either changes.
        var resourceName = assembly.GetManifestResourceNames()
            .SingleOrDefault(name => name.EndsWith(fileName, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"Embedded font resource '*{fileName}' is missing from {assembly.GetName().Name}.");

        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"Embedded font resource '{resourceName}' could not be opened.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
