namespace MonEspaceSante.Messaging;

/// <summary>A mailbox grain's state: who owns it and its address (also in the mailboxes table, for lookups).</summary>
public sealed class MailboxState
{
    public string Address { get; set; } = "";
    public MailboxKind Kind { get; set; }
    public string OwnerId { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}
