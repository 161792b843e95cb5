namespace MonEspaceSante.Mail;

/// <summary>Bound from the <c>Mail</c> section. Without an SMTP host, mail is written as .eml files to <see cref="PickupDirectory"/>.</summary>
public sealed class MailOptions
{
    public string? SmtpHost { get; set; }
    public int SmtpPort { get; set; } = 25;
    public bool EnableSsl { get; set; }
    public string? UserName { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "ne-pas-repondre@monespacesante.example";
    public string? PickupDirectory { get; set; }
}
