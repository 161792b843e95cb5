using System.Globalization;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace MonEspaceSante.Pdf;

public static partial class LetterRenderer
{
    /// <summary>
    /// A top-to-bottom text cursor over A4 pages that wraps paragraphs and starts a new page when the current one
    /// is full, so an unusually long address or name cannot push text off the page.
    /// </summary>
    private sealed class PageWriter : IDisposable
    {
        private const double FooterHeight = 30;
        private const double LineSpacing = 1.25;

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
            graphics = StartPage();
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

        public void Line(string value, XFont font, double indent = 0, XBrush? brush = null)
        {
            var height = LineHeight(font);
            EnsureRoom(height);
            DrawText(value, font, Margin + indent, brush ?? text);
            y += height;
        }

        public void Paragraph(string value, XFont font, double indent = 0, XBrush? brush = null)
        {
            foreach (var line in Wrap(value, font, ContentWidth - indent))
            {
                Line(line, font, indent, brush);
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
            var lines = Wrap(value, fonts.Body, ContentWidth - valueIndent);
            if (lines.Count == 0)
            {
                lines.Add(string.Empty);
            }

            var height = LineHeight(fonts.Body);
            EnsureRoom(height);
            DrawText(label, fonts.BodyBold, Margin, text);
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
            var height = LineHeight(font) + 16;
            EnsureRoom(height);
            var box = new XRect(Margin, y, ContentWidth, height);
            graphics.DrawRectangle(boxBorder, boxFill, box);
            graphics.DrawString(value, font, text, box, XStringFormats.Center);
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
            graphics = StartPage();
        }

        private XGraphics StartPage()
        {
            var page = document.AddPage();
            page.Size = PageSize.A4;
            var pageGraphics = XGraphics.FromPdfPage(page);
            var footerY = pageGraphics.PageSize.Height - Margin;
            pageGraphics.DrawString(footer, fonts.Small, text, Margin, footerY, XStringFormats.BaseLineLeft);
            var pageNumber = $"Page {document.PageCount.ToString(CultureInfo.InvariantCulture)}";
            pageGraphics.DrawString(
                pageNumber, fonts.Small, text, pageGraphics.PageSize.Width - Margin, footerY, XStringFormats.BaseLineRight);
            y = Margin;
            return pageGraphics;
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
                    if (current.Length > 0 && graphics.MeasureString(candidate, font).Width > width)
                    {
                        lines.Add(current);
                        current = word;
                    }
                    else
                    {
                        current = candidate;
                    }
                }

                if (current.Length > 0)
                {
                    lines.Add(current);
                }
            }

            return lines;
        }
    }
}
