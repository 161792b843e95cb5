using MonEspaceSante.Documents;
using MonEspaceSante.Identity;

namespace MonEspaceSante.Messaging;

/// <summary>
/// The secure-messaging mailbox of a patient space or of a professional. Who may write to whom
/// is decided here (a patient answers professionals who wrote to them; a blocked professional
/// cannot write to that patient; a closed space receives nothing). Each mailbox keeps its own
/// copy of a message: deleting it removes that copy only. Keyed <c>patient:{spaceId}</c> or
/// <c>professional:{rpps}</c>. Attachments never cross a grain call: a send is prepared here,
/// its attachments streamed into the content store by the silo that received them, and
/// committed here; an attachment is located here and streamed by the silo serving it.
/// Rules: docs/messaging.md.
/// </summary>
[Alias("mes.IMailboxGrain")]
public interface IMailboxGrain : IGrainWithStringKey
{
    /// <summary>The mailbox, created with its address on first use.</summary>
    Task<MailboxInfo> GetAsync(Caller caller);

    /// <summary>Checks the message and its recipients and registers where each attachment will be written; nothing is sent yet.</summary>
    Task<SendPermit> PrepareSendAsync(Caller caller, OutgoingMessage message, IReadOnlyList<AttachmentDeclaration> attachments);

    /// <summary>Sends the message with its stored attachments, checking the recipients again.</summary>
    Task<SendResult> CommitSendAsync(Caller caller, OutgoingMessage message, Guid messageId, IReadOnlyList<SentAttachment> attachments);

    Task<MessagePage> ListAsync(Caller caller, MessageFilter filter);

    Task<MessageDetail> GetMessageAsync(Caller caller, Guid messageId);

    Task<MessageSummary> SetReadAsync(Caller caller, Guid messageId, bool read);

    Task<MessageSummary> SetArchivedAsync(Caller caller, Guid messageId, bool archived);

    /// <summary>Removes this mailbox's copy; the other participants keep theirs.</summary>
    Task DeleteAsync(Caller caller, Guid messageId);

    /// <summary>Where one of this mailbox's attachments is stored.</summary>
    Task<StoredAttachmentRef> LocateAttachmentAsync(Caller caller, Guid messageId, int index);

    /// <summary>What a patient keeping an attachment in their documents will add there.</summary>
    Task<AttachmentToSave> PrepareSaveAttachmentAsync(Caller caller, Guid messageId, int index, SaveAttachmentRequest request);

    /// <summary>
    /// Removes the whole mailbox, its copies of messages and its contacts (the platform only, when
    /// the owner's space is purged); attachments no other copy refers to go to the sweeper.
    /// Idempotent: a purged or never-used mailbox answers the same.
    /// </summary>
    Task PurgeAsync(Caller caller);
}
