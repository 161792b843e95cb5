using System.Text.Json;
using MonEspaceSante.Documents;
using MonEspaceSante.Runtime;

namespace MonEspaceSante.Messaging;

/// <summary>One mailbox's copy of a message, as stored.</summary>
public sealed class MessageRow
{
    public const string Columns =
        "mailbox_id as MailboxId, message_id as MessageId, conversation_id as ConversationId, folder as Folder, archived as Archived, sender as Sender, " +
        "sender_name as SenderName, to_addresses as ToAddresses, copy_addresses as CopyAddresses, subject as Subject, body as Body, attachments as Attachments, " +
        "search_text as SearchText, sent_at_ms as SentAtMs, read_at_ms as ReadAtMs";

    public const string Insert =
        "insert into messages (mailbox_id, message_id, conversation_id, folder, archived, sender, sender_name, to_addresses, copy_addresses, subject, body, attachments, search_text, sent_at_ms, read_at_ms) " +
        "values (@MailboxId, @MessageId, @ConversationId, @Folder, @Archived, @Sender, @SenderName, @ToAddresses, @CopyAddresses, @Subject, @Body, @Attachments, @SearchText, @SentAtMs, @ReadAtMs)";

    /// <summary>
    /// A send on PostgreSQL in one statement: the sender's hourly counter (its new value is the
    /// result), every copy of the message (one per mailbox, from arrays) and the adoption of the
    /// attachments' content. The data-modifying parts all run whatever the result. Parameter
    /// names are matched without case: the counter's key is <c>@rateSender</c>, not to be taken
    /// for the copies' <c>@Sender</c> address.
    /// </summary>
    public const string PostgresSend =
        "with rate as (insert into message_rate (sender, hour, sent) values (@rateSender, @hour, 1) on conflict (sender, hour) do update set sent = message_rate.sent + 1 returning sent), " +
        "adopted as (delete from content_orphans where content_key = any(@contentKeys)), " +
        "copies as (insert into messages (mailbox_id, message_id, conversation_id, folder, archived, sender, sender_name, to_addresses, copy_addresses, subject, body, attachments, search_text, sent_at_ms, read_at_ms) " +
        "select c.mailbox_id, @MessageId, @ConversationId, c.folder, 0, @Sender, @SenderName, @ToAddresses, @CopyAddresses, @Subject, @Body, @Attachments, @SearchText, @SentAtMs, c.read_at_ms " +
        "from unnest(@mailboxIds::text[], @folders::text[], @readAts::bigint[]) as c(mailbox_id, folder, read_at_ms)) " +
        "select sent from rate";

    public string MailboxId { get; set; } = "";
    public string MessageId { get; set; } = "";
    public string ConversationId { get; set; } = "";
    public string Folder { get; set; } = "";
    public int Archived { get; set; }
    public string Sender { get; set; } = "";
    public string SenderName { get; set; } = "";
    public string ToAddresses { get; set; } = "";
    public string CopyAddresses { get; set; } = "";
    public string Subject { get; set; } = "";
    public string Body { get; set; } = "";
    public string? Attachments { get; set; }
    public string SearchText { get; set; } = "";
    public long SentAtMs { get; set; }
    public long? ReadAtMs { get; set; }

    public IReadOnlyList<StoredAttachment> StoredAttachments() =>
        Attachments is null ? [] : JsonSerializer.Deserialize(Attachments, GrainJsonContext.Default.ListStoredAttachment) ?? [];

    public MessageSummary ToSummary() => new(
        Guid.Parse(MessageId),
        Guid.Parse(ConversationId),
        Archived == 1 ? MailboxFolder.Archive : Enum.Parse<MailboxFolder>(Folder),
        Sender,
        SenderName,
        Split(ToAddresses),
        Split(CopyAddresses),
        Subject,
        DateTimeOffset.FromUnixTimeMilliseconds(SentAtMs),
        ReadAtMs is not null,
        StoredAttachments().Count);

    private static string[] Split(string addresses) => addresses.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>An attachment as recorded in each copy: where its encrypted content is and the key to open it (wrapped).</summary>
public sealed class StoredAttachment
{
    public string FileName { get; set; } = "";
    public DocumentFormat Format { get; set; }
    public long Size { get; set; }
    public string Sha256 { get; set; } = "";
    public string ContentKey { get; set; } = "";
    public string WrappedKey { get; set; } = "";
}
