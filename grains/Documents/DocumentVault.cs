using System.Security.Cryptography;
using MonEspaceSante.Content;
using MonEspaceSante.Errors;
using MonEspaceSante.Identity;

namespace MonEspaceSante.Documents;

/// <summary>
/// Document content in and out, on the silo that holds the HTTP request: content never crosses a
/// grain call (it may be 50 MiB, and the space's grain may live on another silo). An upload asks
/// the space's grain for leave (rules, the object registered as pending, the wrapped data key),
/// streams the content through format inspection and encryption into the content store, then
/// asks the grain to record it; whatever fails or is refused on the way, the stored object is
/// discarded. A download asks the grain where the document is (the read is recorded there) and
/// streams it back decrypted and checked.
/// </summary>
public sealed class DocumentVault(IGrainFactory grains, DocumentServices services)
{
    public async Task<UploadResult> AddAsync(Guid spaceId, Caller caller, DocumentDeclaration declaration, UploadContent content, string? idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var grain = grains.GetGrain<IPatientDocumentsGrain>(spaceId);
        var permit = await grain.PrepareUploadAsync(caller, declaration, idempotencyKey, content.DeclaredLength).ConfigureAwait(false);
        UploadResult result;
        try
        {
            var dataKey = services.DataKeys.Unwrap(spaceId, permit.WrappedDataKey);
            var (format, size, sha256) = await ContentIntake.StoreAsync(services.Store, content, dataKey, permit.ContentKey, services.Options.MaxSize, cancellationToken).ConfigureAwait(false);
            result = await grain.CommitUploadAsync(caller, declaration, new StoredUpload(permit.ContentKey, format, size, sha256), idempotencyKey).ConfigureAwait(false);
        }
        catch
        {
            // Refused, interrupted or failed: nothing of this upload may remain.
            await services.Orphans.DiscardAsync(permit.ContentKey, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        if (result.Replayed)
        {
            await services.Orphans.DiscardAsync(permit.ContentKey, CancellationToken.None).ConfigureAwait(false);
        }

        return result;
    }

    public async Task<DocumentContent> OpenAsync(Guid spaceId, Caller caller, Guid documentId, CancellationToken cancellationToken = default)
    {
        var stored = await grains.GetGrain<IPatientDocumentsGrain>(spaceId).LocateAsync(caller, documentId).ConfigureAwait(false);
        try
        {
            var stream = await DecryptingStream.OpenAsync(services.Store, stored.ContentKey, services.DataKeys.Unwrap(spaceId, stored.WrappedDataKey), stored.Size, stored.Sha256, cancellationToken).ConfigureAwait(false);
            return new DocumentContent(stored.Document, stream);
        }
        catch (Exception exception) when (exception is ContentIntegrityException or ContentNotFoundException or CryptographicException)
        {
            throw new DomainException(DomainError.ContentCorrupted);
        }
    }
}
