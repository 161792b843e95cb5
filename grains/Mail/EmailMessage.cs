namespace MonEspaceSante.Mail;

/// <summary>An outgoing e-mail. Bodies never carry health content.</summary>
public sealed record EmailMessage(string To, string Subject, string Body);
