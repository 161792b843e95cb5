using System.Net.Mail;
using System.Text;
using System.Text.RegularExpressions;

namespace MonEspaceSante.Tests.Infrastructure;

public sealed record ReceivedMail(string To, string Subject, string Body);

/// <summary>Reads the .eml files the silo's SMTP client wrote to its pickup directory.</summary>
public static partial class MailPickup
{
    public static IReadOnlyList<ReceivedMail> Read(string dataPath)
    {
        var folder = Path.Combine(dataPath, "mail");
        if (!Directory.Exists(folder))
        {
            return [];
        }

        return Directory.GetFiles(folder, "*.eml").OrderBy(File.GetLastWriteTimeUtc).Select(Parse).ToList();
    }

    public static IReadOnlyList<ReceivedMail> To(string dataPath, string address) =>
        Read(dataPath).Where(m => string.Equals(m.To, address, StringComparison.OrdinalIgnoreCase)).ToList();

    public static string LastActivationCode(string dataPath, string address) =>
        ActivationCodePattern().Matches(To(dataPath, address).Last(m => m.Subject.Contains("activation", StringComparison.Ordinal)).Body)[^1].Value;

    public static string LastLoginCode(string dataPath, string address) =>
        SixDigits().Match(To(dataPath, address).Last(m => m.Subject.Contains("connexion", StringComparison.Ordinal)).Body).Value;

    [GeneratedRegex(@"\b[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{5}\b")]
    public static partial Regex ActivationCodePattern();

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();

    private static ReceivedMail Parse(string file)
    {
        var text = File.ReadAllText(file);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var headerText = text[..split].Replace("\r\n ", " ", StringComparison.Ordinal).Replace("\r\n\t", " ", StringComparison.Ordinal);
        var headers = headerText.Split("\r\n").Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
            .GroupBy(p => p[0].Trim(), StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First()[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var body = text[(split + 4)..];
        var encoding = headers.GetValueOrDefault("Content-Transfer-Encoding", "7bit");
        if (encoding.Equals("base64", StringComparison.OrdinalIgnoreCase))
        {
            body = Encoding.UTF8.GetString(Convert.FromBase64String(body.Replace("\r\n", "", StringComparison.Ordinal).Trim()));
        }
        else if (encoding.Equals("quoted-printable", StringComparison.OrdinalIgnoreCase))
        {
            body = DecodeQuotedPrintable(body);
        }

        var to = new MailAddress(headers["To"]).Address;
        return new ReceivedMail(to, DecodeWords(headers.GetValueOrDefault("Subject", "")), body);
    }

    /// <summary>
    /// RFC 2047: whitespace between two encoded words is dropped, whitespace between an encoded
    /// word and plain text is kept (MimeKit encodes only the words that need it).
    /// </summary>
    private static string DecodeWords(string value) =>
        EncodedWord().Replace(BetweenEncodedWords().Replace(value, "?==?"), m => m.Groups[2].Value.Equals("B", StringComparison.OrdinalIgnoreCase)
            ? Encoding.UTF8.GetString(Convert.FromBase64String(m.Groups[3].Value))
            : DecodeQuotedPrintable(m.Groups[3].Value.Replace('_', ' ')));

    [GeneratedRegex(@"=\?([^?]+)\?([BbQq])\?([^?]*)\?=")]
    private static partial Regex EncodedWord();

    [GeneratedRegex(@"\?=\s+=\?")]
    private static partial Regex BetweenEncodedWords();

    private static string DecodeQuotedPrintable(string value)
    {
        value = value.Replace("=\r\n", "", StringComparison.Ordinal);
        var bytes = new List<byte>();
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '=' && i + 2 < value.Length && Uri.IsHexDigit(value[i + 1]) && Uri.IsHexDigit(value[i + 2]))
            {
                bytes.Add(Convert.ToByte(value.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(value[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
