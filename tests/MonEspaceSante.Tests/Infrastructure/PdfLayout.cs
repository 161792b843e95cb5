using System.Diagnostics;
using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace MonEspaceSante.Tests.Infrastructure;

/// <summary>
/// Where each word of a PDF is printed, read with poppler's <c>pdftotext -bbox</c> (an independent reader, not the
/// library that wrote the PDF), so a test can tell text that runs off the page from text that merely extracts.
/// </summary>
public static class PdfLayout
{
    // Rounding in the PDF's coordinates and in poppler's; far below anything a printer would notice.
    private const double Tolerance = 0.05;

    /// <summary>A word's box in points, from the page's top-left corner.</summary>
    public sealed record Word(int Page, string Text, double Left, double Top, double Right, double Bottom);

    public sealed record Page(int Number, double Width, double Height, IReadOnlyList<Word> Words);

    public static async Task<IReadOnlyList<Page>> ReadAsync(byte[] pdf)
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(file, pdf);
            return await ReadFileAsync(file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    public static async Task<IReadOnlyList<Page>> ReadFileAsync(string file)
    {
        using var process = Process.Start(new ProcessStartInfo("pdftotext", ["-bbox", "-enc", "UTF-8", file, "-"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
        }) ?? throw new InvalidOperationException("pdftotext could not start (install poppler-utils).");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.Should().Be(0, await errors);
        return Parse(await output);
    }

    /// <summary>
    /// Asserts that every word of every page lies inside the page less <paramref name="margin"/> on each side, naming
    /// each word that does not and by how much it overruns.
    /// </summary>
    public static async Task ShouldStayWithinMarginsAsync(byte[] pdf, double margin, int minimumPages = 1)
    {
        var pages = await ReadAsync(pdf);
        pages.Should().HaveCountGreaterThanOrEqualTo(minimumPages);
        pages.Should().OnlyContain(p => p.Words.Count > 0, "every page carries text");
        var outside = pages.SelectMany(page => page.Words
                .Where(w => w.Left < margin - Tolerance || w.Top < margin - Tolerance
                    || w.Right > page.Width - margin + Tolerance || w.Bottom > page.Height - margin + Tolerance)
                .Select(w => Describe(w, page, margin)))
            .ToList();
        outside.Should().BeEmpty("every word must lie inside the printable area of its page");
    }

    /// <summary>The word printed after "<paramref name="label"/> :" on the label's own line, as one word.</summary>
    public static Word WordAfterLabel(Page page, string label)
    {
        var words = page.Words.ToList();
        var at = words.FindIndex(w => w.Text == label);
        at.Should().BeGreaterThanOrEqualTo(0, "the page prints \"{0}\"", label);
        words.Should().HaveCountGreaterThan(at + 2);
        words[at + 1].Text.Should().Be(":");
        var value = words[at + 2];
        value.Top.Should().BeApproximately(words[at].Top, 0.5, "the value is on its label's line");
        return value;
    }

    private static string Describe(Word word, Page page, double margin)
    {
        var overruns = new List<string>();
        Add(overruns, "left", margin - word.Left);
        Add(overruns, "top", margin - word.Top);
        Add(overruns, "right", word.Right - (page.Width - margin));
        Add(overruns, "bottom", word.Bottom - (page.Height - margin));
        return string.Create(CultureInfo.InvariantCulture, $"page {word.Page}: \"{word.Text}\" past the {string.Join(", ", overruns)}");
    }

    private static void Add(List<string> overruns, string side, double by)
    {
        if (by > Tolerance)
        {
            overruns.Add(string.Create(CultureInfo.InvariantCulture, $"{side} margin by {by:0.0} pt"));
        }
    }

    private static List<Page> Parse(string xhtml)
    {
        // pdftotext writes XHTML with a DOCTYPE pointing at the W3C's DTD, which must not be fetched.
        using var reader = XmlReader.Create(new StringReader(xhtml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null });
        var document = XDocument.Load(reader);
        var pages = new List<Page>();
        foreach (var page in document.Descendants().Where(e => e.Name.LocalName == "page"))
        {
            var number = pages.Count + 1;
            var words = page.Descendants()
                .Where(e => e.Name.LocalName == "word")
                .Select(w => new Word(number, w.Value, Number(w, "xMin"), Number(w, "yMin"), Number(w, "xMax"), Number(w, "yMax")))
                .ToList();
            pages.Add(new Page(number, Number(page, "width"), Number(page, "height"), words));
        }

        return pages;
    }

    private static double Number(XElement element, string attribute) =>
        double.Parse(element.Attribute(attribute)!.Value, CultureInfo.InvariantCulture);
}
