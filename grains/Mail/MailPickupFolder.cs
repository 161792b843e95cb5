using MimeKit;

namespace MonEspaceSante.Mail;

/// <summary>
/// Writes a mail as a <c>{guid}.eml</c> file in the format System.Net.Mail's pickup mode used
/// (and IIS/Exchange pickup services read): <c>X-Sender</c>/<c>X-Receiver</c> envelope lines,
/// then the message with CRLF line ends and 7-bit bodies.
/// </summary>
internal static class MailPickupFolder
{
    private static readonly FormatOptions Format = CreateFormat();

    public static async Task WriteAsync(MimeMessage mail, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var name = Path.Combine(Path.GetFullPath(directory), Guid.NewGuid().ToString("D"));
        mail.Prepare(EncodingConstraint.SevenBit);
        // Written under another name and renamed once whole, so a reader of *.eml never sees half a mail.
        try
        {
            await using var file = new FileStream(name + ".tmp", FileMode.CreateNew, FileAccess.Write);
            var envelope = $"X-Sender: {mail.From.Mailboxes.Single().Address}\r\nX-Receiver: {mail.To.Mailboxes.Single().Address}\r\n";
            await file.WriteAsync(System.Text.Encoding.UTF8.GetBytes(envelope), cancellationToken).ConfigureAwait(false);
            await mail.WriteToAsync(Format, file, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            File.Delete(name + ".tmp");
            throw;
        }

        File.Move(name + ".tmp", name + ".eml");
    }

    private static FormatOptions CreateFormat()
    {
        var format = FormatOptions.Default.Clone();
        // The platform's line end on Linux is LF; mail on disk, as on the wire, uses CRLF.
        format.NewLineFormat = NewLineFormat.Dos;
        return format;
    }
}
