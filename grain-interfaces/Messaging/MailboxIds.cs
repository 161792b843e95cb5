namespace MonEspaceSante.Messaging;

/// <summary>A mailbox's grain key: <c>patient:{spaceId}</c> or <c>professional:{rpps}</c>, also its id in the messages tables.</summary>
public static class MailboxIds
{
    public static string Of(MailboxKind kind, string ownerId) => $"{(kind == MailboxKind.Patient ? "patient" : "professional")}:{ownerId}";

    /// <summary>The kind and owner of a mailbox id.</summary>
    public static (MailboxKind Kind, string OwnerId) Parse(string mailboxId)
    {
        ArgumentNullException.ThrowIfNull(mailboxId);
        var colon = mailboxId.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && mailboxId[..colon] is "patient" or "professional"
            ? (mailboxId[..colon] == "patient" ? MailboxKind.Patient : MailboxKind.Professional, mailboxId[(colon + 1)..])
            : throw new ArgumentException($"'{mailboxId}' is not a mailbox id.", nameof(mailboxId));
    }
}
