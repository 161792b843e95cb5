using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace MonEspaceSante.Pdf;

public static partial class LetterRenderer
{
    /// <summary>
    /// A top-to-bottom text cursor over A4 pages that wraps paragraphs and starts a new page when the current one
    /// is full, so an unusually long address or name cannot push text off the page. Nothing it draws leaves the page
    /// less <see cref="Margin"/>: a word wider than its line is broken across lines, and the few texts that must stay
    /// on one line (a field's label, the footer) are cut with an ellipsis that shows the cut.
    /// </summary>
    private sealed class PageWriter : IDisposable
    {
        private const double FooterHeight = 30;
        private const double LineSpacing = 1.25;
        private const string CutMark = "…";

        // Where a word too long for its line reads best broken: just after one of these, rather than mid-syllable.
        private static readonly char[] BreakAfter = ['-', '/', '.', ',', '_'];

        private readonly PdfDocument document;
        private readonly LetterFonts fonts;
        private readonly string footer;
        private readonly XSolidBrush text = new(XColor.FromArgb(0x1E, 0x1E, 0x1E));
        private readonly XSolidBrush boxFill = new(XColor.FromArgb(0xEE, 0xF3, 0xFA));
        private readonly XPen boxBorder = new(XColor.FromArgb(0x00, 0x5B, 0x96), 1);
        private XGraphics graphics;
        private bool finished;
        private double y;

        public PageWriter(PdfDocument document, LetterFonts fonts, string footer)
        {
            this.document = document;
            this.fonts = fonts;
            this.footer = footer;
            StartPage();
        }

        public XSolidBrush Accent { get; } = new(XColor.FromArgb(0x00, 0x5B, 0x96));

        private double PageWidth => graphics.PageSize.Width;

        private double ContentWidth => PageWidth - (2 * Margin);

        private double Bottom => graphics.PageSize.Height - Margin - FooterHeight;

        public void MoveTo(double top)
        {
            y = Math.Max(y, top);
        }

        public void Space(double points)
        {
            y += points;
        }

        /// <summary>Text starting on a new line, wrapped onto further lines when the line cannot hold it.</summary>
        public void Paragraph(string value, XFont font, double indent = 0, XBrush? brush = null)
        {
            var height = LineHeight(font);
            foreach (var line in Wrap(value, font, ContentWidth - indent))
            {
                EnsureRoom(height);
                DrawText(line, font, Margin + indent, brush ?? text);
                y += height;
            }
        }

        public void Bullet(string value, XFont font)
        {
            const double bulletIndent = 12;
            const double textIndent = 26;
            var first = true;
            foreach (var line in Wrap(value, font, ContentWidth - textIndent))
            {
                var height = LineHeight(font);
                EnsureRoom(height);
                if (first)
                {
                    DrawText("•", font, Margin + bulletIndent, text);
                    first = false;
                }

                DrawText(line, font, Margin + textIndent, text);
                y += height;
            }
        }

        public void Field(string label, string value)
        {
            const double valueIndent = 150;
            const double labelGap = 6;
            var lines = Wrap(value, fonts.Body, ContentWidth - valueIndent);
            if (lines.Count == 0)
            {
                lines.Add(string.Empty);
            }

            var height = LineHeight(fonts.Body);
            EnsureRoom(height);
            DrawText(Fit(label, fonts.BodyBold, valueIndent - labelGap), fonts.BodyBold, Margin, text);
            foreach (var line in lines)
            {
                EnsureRoom(height);
                DrawText(line, fonts.Body, Margin + valueIndent, text);
                y += height;
            }

            y += 4;
        }

        public void Boxed(string value, XFont font)
        {
            const double padding = 8;
            var lines = Wrap(value, font, ContentWidth - (2 * padding));
            var lineHeight = LineHeight(font);
            var height = (Math.Max(lines.Count, 1) * lineHeight) + (2 * padding);
            EnsureRoom(height);
            graphics.DrawRectangle(boxBorder, boxFill, new XRect(Margin, y, ContentWidth, height));
            var centre = Margin + (ContentWidth / 2);
            var capHeight = (double)font.Metrics.CapHeight * font.Size / font.Metrics.UnitsPerEm;
            for (var i = 0; i < lines.Count; i++)
            {
                // Capitals centred in their line's slot: the code is in capitals and digits.
                var baseline = y + padding + (i * lineHeight) + ((lineHeight + capHeight) / 2);
                graphics.DrawString(lines[i], font, text, centre, baseline, XStringFormats.BaseLineCenter);
            }

            y += height;
        }

        public byte[] Finish()
        {
            // The page content stream is only complete once its XGraphics is released.
            graphics.Dispose();
            finished = true;
            using var stream = new MemoryStream();
            document.Save(stream, false);
            return stream.ToArray();
        }

        public void Dispose()
        {
            if (!finished)
            {
                graphics.Dispose();
            }
        }

        private static double LineHeight(XFont font) => font.Size * LineSpacing;

        // How far the font's letters may reach below the baseline (p, g, ç), in points.
        private static double Descent(XFont font) => Math.Abs((double)font.Metrics.Descent) * font.Size / font.Metrics.UnitsPerEm;

        private double Width(string value, XFont font) => graphics.MeasureString(value, font).Width;

        private void DrawText(string value, XFont font, double x, XBrush brush)
        {
            // Baseline placement: the cursor marks the top of the line box.
            graphics.DrawString(value, font, brush, x, y + font.Size, XStringFormats.BaseLineLeft);
        }

        private void EnsureRoom(double height)
        {
            if (y + height <= Bottom)
            {
                return;
            }

            graphics.Dispose();
            StartPage();
        }

        [MemberNotNull(nameof(graphics))]
        private void StartPage()
        {
            var page = document.AddPage();
            page.Size = PageSize.A4;
            graphics = XGraphics.FromPdfPage(page);

            // The footer's baseline sits its descent above the bottom margin, so no letter of it reaches into the margin.
            var footerY = graphics.PageSize.Height - Margin - Descent(fonts.Small);
            var pageNumber = $"Page {document.PageCount.ToString(CultureInfo.InvariantCulture)}";
            var numberWidth = Width(pageNumber, fonts.Small);
            const double gap = 12;
            graphics.DrawString(
                Fit(footer, fonts.Small, ContentWidth - numberWidth - gap), fonts.Small, text, Margin, footerY, XStringFormats.BaseLineLeft);
            graphics.DrawString(pageNumber, fonts.Small, text, PageWidth - Margin, footerY, XStringFormats.BaseLineRight);
            y = Margin;
        }

        private List<string> Wrap(string value, XFont font, double width)
        {
            var lines = new List<string>();
            foreach (var paragraph in SplitLines(value))
            {
                var current = string.Empty;
                foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    var candidate = current.Length == 0 ? word : current + " " + word;
                    if (Width(candidate, font) <= width)
                    {
                        current = candidate;
                        continue;
                    }

                    if (current.Length > 0)
                    {
                        lines.Add(current);
                    }

                    // A word wider than a whole line (a hash, a long compound name or address) is broken where it
                    // must be and carries on on the next line: every character stays printed and legible.
                    current = word;
                    while (Width(current, font) > width)
                    {
                        var cut = BreakPoint(current, font, width);
                        lines.Add(current[..cut]);
                        current = current[cut..];
                    }
                }

                if (current.Length > 0)
                {
                    lines.Add(current);
                }
            }

            return lines;
        }

        /// <summary>Where to break a word wider than <paramref name="width"/>: after the last hyphen or similar in the
        /// part that fits, when that keeps at least half of it on the line, else as late as fits.</summary>
        private int BreakPoint(string word, XFont font, double width)
        {
            var fits = LongestFit(word, font, width);
            var after = word.LastIndexOfAny(BreakAfter, fits - 1) + 1;
            return after > 1 && after >= fits / 2 ? after : fits;
        }

        /// <summary>Text that must stay on one line, cut with an ellipsis when wider than <paramref name="width"/>.</summary>
        private string Fit(string value, XFont font, double width)
        {
            if (Width(value, font) <= width)
            {
                return value;
            }

            return value[..LongestFit(value, font, width - Width(CutMark, font))].TrimEnd() + CutMark;
        }

        /// <summary>
        /// The length of the longest start of <paramref name="value"/> no wider than <paramref name="width"/>, ending
        /// between two characters as a reader sees them (never between a letter and its accent), and at least one
        /// such character so a line always moves on.
        /// </summary>
        private int LongestFit(string value, XFont font, double width)
        {
            var starts = StringInfo.ParseCombiningCharacters(value);
            int End(int count) => count < starts.Length ? starts[count] : value.Length;
            var low = 1;
            var high = starts.Length;
            while (low < high)
            {
                var middle = (low + high + 1) / 2;
                if (Width(value[..End(middle)], font) <= width)
                {
                    low = middle;
                }
                else
                {
                    high = middle - 1;
                }
            }

            return End(low);
        }
    }
}
