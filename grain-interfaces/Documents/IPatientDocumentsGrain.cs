using MonEspaceSante.Identity;

namespace MonEspaceSante.Documents;

/// <summary>
/// The documents of one patient space (same id as the space). Access rules are checked here,
/// against the space's state read in the same transaction. Content crosses as a stream so that
/// large files never sit whole in memory.
/// </summary>
public interface IPatientDocumentsGrain
{
    Task<UploadResult> AddAsync(Caller caller, DocumentDeclaration declaration, UploadContent content, string? idempotencyKey, CancellationToken cancellationToken = default);

    Task<DocumentPage> ListAsync(Caller caller, DocumentFilter filter);

    Task<DocumentInfo> GetAsync(Caller caller, Guid documentId);

    Task<DocumentContent> OpenAsync(Caller caller, Guid documentId, CancellationToken cancellationToken = default);

    Task<DocumentInfo> ChangeAsync(Caller caller, Guid documentId, DocumentChange change);

    Task<DocumentInfo> SetMaskedAsync(Caller caller, Guid documentId, bool masked);

    /// <summary>Makes a not-yet-visible document visible to the patient (the announcement consultation took place).</summary>
    Task<DocumentInfo> ReleaseAsync(Caller caller, Guid documentId);

    /// <summary>The patient's own upload is really removed; a professional's is removed from their view only.</summary>
    Task DeleteAsync(Caller caller, Guid documentId);
}
