using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Utils;
using MonEspaceSante.Jobs;

namespace MonEspaceSante.Mail;

/// <summary>
/// Sends queued e-mails with MailKit: through the SMTP relay when <c>Mail:SmtpHost</c> is set,
/// else as .eml files in the pickup folder (the embedded default's mailbox on disk). A failure
/// throws, and the job queue retries with backoff.
/// </summary>
public sealed class SmtpMailSender(MailQueue queue, IOptions<MailOptions> options) : IJobHandler
{
    public string Kind => MailQueue.JobKind;

    public async Task HandleAsync(ClaimedJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var settings = options.Value;
        using var mail = Compose(queue.Open(job.Payload), settings.From);
        if (settings.SmtpHost is { Length: > 0 } host)
        {
            await SendAsync(mail, host, settings, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await MailPickupFolder.WriteAsync(mail, settings.PickupDirectory!, cancellationToken).ConfigureAwait(false);
        }
    }

    private static MimeMessage Compose(EmailMessage message, string from)
    {
        var sender = MailboxAddress.Parse(from);
        var body = new TextPart("plain");
        // Always UTF-8: MimeKit would otherwise pick the smallest charset that fits (ISO-8859-1 for French).
        body.SetText(Encoding.UTF8, message.Body);
        var mail = new MimeMessage
        {
            Subject = message.Subject,
            Body = body,
            // Some large mailbox providers refuse mail without a Message-ID. The sender's
            // domain, not MimeKit's default (the machine's host name), keeps silo names out of mail.
            MessageId = MimeUtils.GenerateMessageId(sender.Domain),
        };
        mail.From.Add(sender);
        mail.To.Add(MailboxAddress.Parse(message.To));
        return mail;
    }

    private static async Task SendAsync(MimeMessage mail, string host, MailOptions settings, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient
        {
            // As System.Net.Mail did: relays on closed networks often cannot reach the CRL or OCSP
            // servers of their certificate, and a failed check would hold every mail forever.
            CheckCertificateRevocation = false,
            // System.Net.Mail's 100 s rather than MailKit's 2 min: a stuck relay holds a job runner slot.
            Timeout = 100_000,
        };
        // EnableSsl means STARTTLS, required, as before; port 465 speaks TLS from the first byte
        // (System.Net.Mail could not, so no configuration that used to work changes).
        var security = !settings.EnableSsl ? SecureSocketOptions.None
            : settings.SmtpPort == 465 ? SecureSocketOptions.SslOnConnect
            : SecureSocketOptions.StartTls;
        await client.ConnectAsync(host, settings.SmtpPort, security, cancellationToken).ConfigureAwait(false);
        // As System.Net.Mail did: credentials are offered when the relay announces AUTH.
        if (settings.UserName is { Length: > 0 } user && client.Capabilities.HasFlag(SmtpCapabilities.Authentication))
        {
            await client.AuthenticateAsync(user, settings.Password ?? "", cancellationToken).ConfigureAwait(false);
        }

        await client.SendAsync(mail, cancellationToken).ConfigureAwait(false);
        await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
    }
}
