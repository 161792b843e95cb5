using System.Net;
using System.Net.Mail;
using Microsoft.Extensions.Options;
using MonEspaceSante.Jobs;

namespace MonEspaceSante.Mail;

/// <summary>
/// Sends queued e-mails. System.Net.Mail is used because MailKit is not available from our
/// package registry; it speaks plain SMTP (and STARTTLS) well enough for a relay, and its pickup
/// directory mode gives the embedded default a mailbox on disk.
/// </summary>
public sealed class SmtpMailSender(MailQueue queue, IOptions<MailOptions> options) : IJobHandler
{
    public string Kind => MailQueue.JobKind;

    public async Task HandleAsync(ClaimedJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var message = queue.Open(job.Payload);
        var settings = options.Value;
        using var mail = new MailMessage(settings.From, message.To, message.Subject, message.Body);
        mail.BodyEncoding = System.Text.Encoding.UTF8;
        mail.SubjectEncoding = System.Text.Encoding.UTF8;
        using var client = settings.SmtpHost is { Length: > 0 } host
            ? new SmtpClient(host, settings.SmtpPort) { EnableSsl = settings.EnableSsl, DeliveryMethod = SmtpDeliveryMethod.Network }
            : new SmtpClient { DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory, PickupDirectoryLocation = EnsureDirectory(settings.PickupDirectory!) };
        if (settings.UserName is { Length: > 0 } user)
        {
            client.Credentials = new NetworkCredential(user, settings.Password);
        }

        await client.SendMailAsync(mail, cancellationToken).ConfigureAwait(false);
    }

    private static string EnsureDirectory(string path)
    {
        Directory.CreateDirectory(path);
        return Path.GetFullPath(path);
    }
}
