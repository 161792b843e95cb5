using System.Diagnostics;

namespace MonEspaceSante.Tests.Infrastructure;

/// <summary>Extracts a PDF's text with poppler's pdftotext, as a reader would see it.</summary>
public static class PdfText
{
    public static async Task<string> ExtractAsync(byte[] pdf)
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(file, pdf);
            return await ExtractFileAsync(file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    public static async Task<string> ExtractFileAsync(string file)
    {
        using var process = Process.Start(new ProcessStartInfo("pdftotext", ["-layout", file, "-"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("pdftotext could not start (install poppler-utils).");
        var text = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.Should().Be(0, await process.StandardError.ReadToEndAsync());
        return text;
    }
}
