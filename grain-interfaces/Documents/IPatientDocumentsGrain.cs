using MonEspaceSante.Identity;

namespace MonEspaceSante.Documents;

/// <summary>
/// The documents of one patient space (same id and same activation as the space). Access rules
/// are checked here, against the space's state, in the transaction that writes the documents
/// table, the access history and the feed. Content never crosses a grain call: an upload is
/// prepared here (rules checked, the object to be written registered, the space's wrapped data
/// key returned), streamed into the content store by the silo that received it, and committed
/// here; a download is located here and streamed from the store by the silo serving it.
/// </summary>
[Alias("mes.IPatientDocumentsGrain")]
public interface IPatientDocumentsGrain : IGrainWithGuidKey
{
    /// <summary>Checks that the caller may add this document here and returns where its content goes, encrypted with which key.</summary>
    Task<UploadPermit> PrepareUploadAsync(Caller caller, DocumentDeclaration declaration, string? idempotencyKey, long? declaredLength);

    /// <summary>Records the stored content as a document, checking the caller's rights again (a revocation during the upload still stops it).</summary>
    Task<UploadResult> CommitUploadAsync(Caller caller, DocumentDeclaration declaration, StoredUpload stored, string? idempotencyKey);

    /// <summary>Where a document the caller may download is stored; the download itself is recorded in the access history.</summary>
    Task<StoredDocument> LocateAsync(Caller caller, Guid documentId);

    /// <summary>Announces a held-back document to the patient once its release date has come. Idempotent.</summary>
    Task<bool> AnnounceReleaseAsync(Guid documentId);

    Task<DocumentPage> ListAsync(Caller caller, DocumentFilter filter);

    Task<DocumentInfo> GetAsync(Caller caller, Guid documentId);

    Task<DocumentInfo> ChangeAsync(Caller caller, Guid documentId, DocumentChange change);

    Task<DocumentInfo> SetMaskedAsync(Caller caller, Guid documentId, bool masked);

    /// <summary>Makes a not-yet-visible document visible to the patient (the announcement consultation took place).</summary>
    Task<DocumentInfo> ReleaseAsync(Caller caller, Guid documentId);

    /// <summary>The patient's own upload is really removed; a professional's is removed from their view only.</summary>
    Task DeleteAsync(Caller caller, Guid documentId);
}
