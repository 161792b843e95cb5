using MonEspaceSante.Documents;
using MonEspaceSante.Identity;

namespace MonEspaceSante.Messaging;

/// <summary>
/// The secure-messaging mailbox of a patient space or of a professional. Who may write to whom
/// is decided here (a patient answers professionals who wrote to them; a blocked professional
/// cannot write to that patient; a closed space receives nothing). Each mailbox keeps its own
/// copy of a message: deleting it removes that copy only. Rules: docs/messaging.md.
/// </summary>
public interface IMailboxGrain
{
    /// <summary>The mailbox, created with its address on first use.</summary>
    Task<MailboxInfo> GetAsync(Caller caller);

    Task<SendResult> SendAsync(Caller caller, OutgoingMessage message, IReadOnlyList<AttachmentUpload> attachments, CancellationToken cancellationToken = default);

    Task<MessagePage> ListAsync(Caller caller, MessageFilter filter);

    Task<MessageDetail> GetMessageAsync(Caller caller, Guid messageId);

    Task<MessageSummary> SetReadAsync(Caller caller, Guid messageId, bool read);

    Task<MessageSummary> SetArchivedAsync(Caller caller, Guid messageId, bool archived);

    /// <summary>Removes this mailbox's copy; the other participants keep theirs.</summary>
    Task DeleteAsync(Caller caller, Guid messageId);

    Task<AttachmentContent> OpenAttachmentAsync(Caller caller, Guid messageId, int index, CancellationToken cancellationToken = default);

    /// <summary>A patient keeps an attachment in their documents.</summary>
    Task<DocumentInfo> SaveAttachmentAsync(Caller caller, Guid messageId, int index, SaveAttachmentRequest request, CancellationToken cancellationToken = default);
}
