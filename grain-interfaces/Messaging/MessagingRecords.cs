using System.ComponentModel;
using MonEspaceSante.Spaces;
using MonEspaceSante.Documents;
using Orleans;

namespace MonEspaceSante.Messaging;

[GenerateSerializer]
[Alias("mes.MailboxKind")]
public enum MailboxKind
{
    Patient,
    Professional,
}

[GenerateSerializer]
[Alias("mes.MailboxFolder")]
public enum MailboxFolder
{
    Inbox,
    Sent,
    Archive,
}

/// <summary>A mailbox as its owner sees it.</summary>
[GenerateSerializer]
[Alias("mes.MailboxInfo")]
public sealed record MailboxInfo([property: Id(0)] string Address, [property: Id(1)] MailboxKind Kind, [property: Id(2)] string DisplayName, [property: Id(3)] long Unread);

/// <summary>
/// A message to send. <see cref="To"/> are platform addresses; <see cref="CopyPatient"/> is a
/// patient's address copied on a professional's send (a lab's report to the treating doctor);
/// <see cref="InReplyTo"/> is a message of the sender's mailbox this one answers.
/// </summary>
[GenerateSerializer]
[Alias("mes.OutgoingMessage")]
public sealed record OutgoingMessage(
    [property: Id(0)] IReadOnlyList<string>? To,
    [property: Id(1)] string? CopyPatient,
    [property: Id(2)] string? Subject,
    [property: Id(3)] string? Body,
    [property: Id(4)] Guid? InReplyTo);

/// <summary>An attachment as it arrives: streamed, checked like a document.</summary>
public sealed record AttachmentUpload(string? FileName, UploadContent Content);

[GenerateSerializer]
[Alias("mes.AttachmentInfo")]
public sealed record AttachmentInfo([property: Id(0)] int Index, [property: Id(1), Description(FileNameRule.Text)] string FileName, [property: Id(2)] DocumentFormat Format, [property: Id(3)] string ContentType, [property: Id(4)] long Size, [property: Id(5)] string Sha256);

[GenerateSerializer]
[Alias("mes.SendResult")]
public sealed record SendResult([property: Id(0)] Guid MessageId, [property: Id(1)] Guid ConversationId, [property: Id(2)] DateTimeOffset SentAt, [property: Id(3)] IReadOnlyList<string> Recipients);

/// <summary>One message of a mailbox, without its body, for lists.</summary>
[GenerateSerializer]
[Alias("mes.MessageSummary")]
public sealed record MessageSummary(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid ConversationId,
    [property: Id(2)] MailboxFolder Folder,
    [property: Id(3)] string From,
    [property: Id(4)] string FromName,
    [property: Id(5)] IReadOnlyList<string> To,
    [property: Id(6)] IReadOnlyList<string> Copy,
    [property: Id(7)] string Subject,
    [property: Id(8)] DateTimeOffset SentAt,
    [property: Id(9)] bool Read,
    [property: Id(10)] int Attachments);

[GenerateSerializer]
[Alias("mes.MessageDetail")]
public sealed record MessageDetail([property: Id(0)] MessageSummary Message, [property: Id(1)] string Body, [property: Id(2)] IReadOnlyList<AttachmentInfo> Attachments);

[GenerateSerializer]
[Alias("mes.MessageFilter")]
public sealed record MessageFilter([property: Id(0)] MailboxFolder Folder = MailboxFolder.Inbox, [property: Id(1)] bool? Unread = null, [property: Id(2)] string? Query = null, [property: Id(3)] string? Correspondent = null, [property: Id(4)] int Offset = 0, [property: Id(5)] int Limit = 50);

[GenerateSerializer]
[Alias("mes.MessagePage")]
public sealed record MessagePage([property: Id(0)] IReadOnlyList<MessageSummary> Items, [property: Id(1)] int Offset, [property: Id(2)] int Limit, [property: Id(3)] long Total);

public sealed record AttachmentContent(AttachmentInfo Attachment, Stream Content);

/// <summary>What the patient chooses when saving an attachment into their documents.</summary>
[GenerateSerializer]
[Alias("mes.SaveAttachmentRequest")]
public sealed record SaveAttachmentRequest([property: Id(0)] DocumentCategory? Category, [property: Id(1)] string? Title);

/// <summary>What is declared of an attachment before its content streams in.</summary>
[GenerateSerializer]
[Alias("mes.AttachmentDeclaration")]
public sealed record AttachmentDeclaration([property: Id(0)] string? FileName, [property: Id(1)] long? DeclaredLength);

/// <summary>A send the mailbox has accepted to prepare: the message's id and where each attachment goes.</summary>
[GenerateSerializer]
[Alias("mes.SendPermit")]
public sealed record SendPermit([property: Id(0)] Guid MessageId, [property: Id(1)] IReadOnlyList<string> ContentKeys);

/// <summary>An attachment as stored: checked format, size, SHA-256 of the plain bytes, its object and the message key that encrypts it (wrapped).</summary>
[GenerateSerializer]
[Alias("mes.SentAttachment")]
public sealed record SentAttachment(
    [property: Id(0)] string FileName,
    [property: Id(1)] DocumentFormat Format,
    [property: Id(2)] long Size,
    [property: Id(3)] string Sha256,
    [property: Id(4)] string ContentKey,
    [property: Id(5)] string WrappedKey);

/// <summary>An attachment the caller may read, and where it is.</summary>
[GenerateSerializer]
[Alias("mes.StoredAttachmentRef")]
public sealed record StoredAttachmentRef([property: Id(0)] Guid MessageId, [property: Id(1)] AttachmentInfo Attachment, [property: Id(2)] string ContentKey, [property: Id(3)] string WrappedKey);

/// <summary>An attachment a patient keeps: where it is, whose documents it joins, and as what.</summary>
[GenerateSerializer]
[Alias("mes.AttachmentToSave")]
public sealed record AttachmentToSave([property: Id(0)] StoredAttachmentRef Stored, [property: Id(1)] Guid SpaceId, [property: Id(2)] DocumentDeclaration Declaration);

/// <summary>What a mailbox may know of a patient's space: whether it exists and is open, the patient's name, and whether they block a given professional.</summary>
[GenerateSerializer]
[Alias("mes.MessagingView")]
public sealed record MessagingView([property: Id(0)] SpaceStatus? Status, [property: Id(1)] string DisplayName, [property: Id(2)] bool SenderBlocked);
