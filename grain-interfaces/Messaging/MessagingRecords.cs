using MonEspaceSante.Documents;

namespace MonEspaceSante.Messaging;

public enum MailboxKind
{
    Patient,
    Professional,
}

public enum MailboxFolder
{
    Inbox,
    Sent,
    Archive,
}

/// <summary>A mailbox as its owner sees it.</summary>
public sealed record MailboxInfo(string Address, MailboxKind Kind, string DisplayName, long Unread);

/// <summary>
/// A message to send. <see cref="To"/> are platform addresses; <see cref="CopyPatient"/> is a
/// patient's address copied on a professional's send (a lab's report to the treating doctor);
/// <see cref="InReplyTo"/> is a message of the sender's mailbox this one answers.
/// </summary>
public sealed record OutgoingMessage(
    IReadOnlyList<string>? To,
    string? CopyPatient,
    string? Subject,
    string? Body,
    Guid? InReplyTo);

/// <summary>An attachment as it arrives: streamed, checked like a document.</summary>
public sealed record AttachmentUpload(string? FileName, UploadContent Content);

public sealed record AttachmentInfo(int Index, string FileName, DocumentFormat Format, string ContentType, long Size, string Sha256);

public sealed record SendResult(Guid MessageId, Guid ConversationId, DateTimeOffset SentAt, IReadOnlyList<string> Recipients);

/// <summary>One message of a mailbox, without its body, for lists.</summary>
public sealed record MessageSummary(
    Guid Id,
    Guid ConversationId,
    MailboxFolder Folder,
    string From,
    string FromName,
    IReadOnlyList<string> To,
    IReadOnlyList<string> Copy,
    string Subject,
    DateTimeOffset SentAt,
    bool Read,
    int Attachments);

public sealed record MessageDetail(MessageSummary Message, string Body, IReadOnlyList<AttachmentInfo> Attachments);

public sealed record MessageFilter(MailboxFolder Folder = MailboxFolder.Inbox, bool? Unread = null, string? Query = null, string? Correspondent = null, int Offset = 0, int Limit = 50);

public sealed record MessagePage(IReadOnlyList<MessageSummary> Items, int Offset, int Limit, long Total);

public sealed record AttachmentContent(AttachmentInfo Attachment, Stream Content);

/// <summary>What the patient chooses when saving an attachment into their documents.</summary>
public sealed record SaveAttachmentRequest(DocumentCategory? Category, string? Title);
