using System.Security.Cryptography;
using MonEspaceSante.Content;
using MonEspaceSante.Documents;
using MonEspaceSante.Errors;
using MonEspaceSante.Identity;

namespace MonEspaceSante.Messaging;

/// <summary>
/// Attachments in and out, on the silo that holds the HTTP request (content never crosses a
/// grain call). A send with attachments asks the mailbox grain to check the message and
/// register the objects, encrypts each attachment with a key of the message's own into the
/// content store, then asks the grain to send; whatever fails or is refused, the stored objects
/// are discarded. Reading an attachment, or keeping it as a document, starts from the grain too.
/// </summary>
public sealed class MailboxPost(MessagingServices services, DocumentVault vault)
{
    public async Task<SendResult> SendAsync(IMailboxGrain mailbox, Caller caller, OutgoingMessage message, IReadOnlyList<AttachmentUpload> attachments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        ArgumentNullException.ThrowIfNull(attachments);
        if (attachments.Count == 0)
        {
            return await mailbox.CommitSendAsync(caller, message, Guid.NewGuid(), []).ConfigureAwait(false);
        }

        var permit = await mailbox.PrepareSendAsync(caller, message, attachments.Select(a => new AttachmentDeclaration(a.FileName, a.Content.DeclaredLength)).ToList()).ConfigureAwait(false);
        try
        {
            var key = DataKeys.NewDataKey();
            var wrapped = services.DataKeys.Wrap(MailboxGrain.KeyOwner(permit.MessageId), key);
            var stored = new List<SentAttachment>(attachments.Count);
            long total = 0;
            for (var i = 0; i < attachments.Count; i++)
            {
                var (format, size, sha256) = await ContentIntake.StoreAsync(services.Store, attachments[i].Content, key, permit.ContentKeys[i], services.Options.MaxAttachmentSize, cancellationToken).ConfigureAwait(false);
                total += size;
                if (total > services.Options.MaxAttachmentsTotal)
                {
                    throw new DomainException(DomainError.ContentTooLarge, $"Attachments may total at most {services.Options.MaxAttachmentsTotal} bytes.");
                }

                stored.Add(new SentAttachment(MailboxGrain.FileNameOf(attachments[i].FileName, i, format), format, size, sha256, permit.ContentKeys[i], wrapped));
            }

            return await mailbox.CommitSendAsync(caller, message, permit.MessageId, stored).ConfigureAwait(false);
        }
        catch
        {
            foreach (var contentKey in permit.ContentKeys)
            {
                await services.Orphans.DiscardAsync(contentKey, CancellationToken.None).ConfigureAwait(false);
            }

            throw;
        }
    }

    public async Task<AttachmentContent> OpenAttachmentAsync(IMailboxGrain mailbox, Caller caller, Guid messageId, int index, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        return await OpenAsync(await mailbox.LocateAttachmentAsync(caller, messageId, index).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    public async Task<DocumentInfo> SaveAttachmentAsync(IMailboxGrain mailbox, Caller caller, Guid messageId, int index, SaveAttachmentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        var toSave = await mailbox.PrepareSaveAttachmentAsync(caller, messageId, index, request).ConfigureAwait(false);
        var opened = await OpenAsync(toSave.Stored, cancellationToken).ConfigureAwait(false);
        await using var content = opened.Content;
        // Saving the same attachment twice gives the same document.
        var result = await vault.AddAsync(
            toSave.SpaceId, caller, toSave.Declaration, new UploadContent(content, opened.Attachment.ContentType, opened.Attachment.Size), $"message:{messageId:N}:{index}", cancellationToken).ConfigureAwait(false);
        return result.Document;
    }

    private async Task<AttachmentContent> OpenAsync(StoredAttachmentRef stored, CancellationToken cancellationToken)
    {
        try
        {
            var key = services.DataKeys.Unwrap(MailboxGrain.KeyOwner(stored.MessageId), stored.WrappedKey);
            var stream = await DecryptingStream.OpenAsync(services.Store, stored.ContentKey, key, stored.Attachment.Size, stored.Attachment.Sha256, cancellationToken).ConfigureAwait(false);
            return new AttachmentContent(stored.Attachment, stream);
        }
        catch (Exception exception) when (exception is ContentIntegrityException or ContentNotFoundException or CryptographicException)
        {
            throw new DomainException(DomainError.ContentCorrupted);
        }
    }
}
