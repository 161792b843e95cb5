namespace MonEspaceSante.Documents;

/// <summary>The author of a document: the patient, a professional (by RPPS) or a facility (by FINESS).</summary>
public sealed record DocumentAuthor(AuthorKind Kind, string? Id, string? Name);

/// <summary>What an uploader declares about a document; the content itself travels separately.</summary>
public sealed record DocumentDeclaration
{
    /// <summary>LOINC type code (ANS TRE_A04); defaults from the category when absent.</summary>
    public string? TypeCode { get; init; }
    public DocumentCategory? Category { get; init; }
    public string? Title { get; init; }
    public DateOnly? ClinicalDate { get; init; }
    public string? SourceSoftware { get; init; }
    public string? FileName { get; init; }
    public Confidentiality Confidentiality { get; init; } = Confidentiality.N;

    /// <summary>MASQUE_PS: masked from professionals (the treating doctor still sees it).</summary>
    public bool MaskedFromProfessionals { get; init; }

    /// <summary>INVISIBLE_PATIENT: not shown to the patient until <see cref="ReleaseAt"/> or a manual release.</summary>
    public bool HiddenFromPatient { get; init; }
    public DateTimeOffset? ReleaseAt { get; init; }

    /// <summary>INVISIBLE_REPRESENTANTS_LEGAUX: hidden from a minor's legal guardians.</summary>
    public bool HiddenFromGuardians { get; init; }

    /// <summary>The document this one replaces; the replaced one becomes superseded.</summary>
    public Guid? Replaces { get; init; }

    /// <summary>For professionals' software: who wrote the document (a professional or a facility).</summary>
    public DocumentAuthor? Author { get; init; }

    /// <summary>
    /// For professionals' software: the patient's birth date, checked against the space the NIR
    /// led to (an INS identity is the NIR with its traits, never the NIR alone).
    /// </summary>
    public DateOnly? PatientBirthDate { get; init; }
}

public sealed record DocumentInfo(
    Guid Id,
    string TypeCode,
    DocumentTab Tab,
    DocumentCategory Category,
    string Title,
    DateOnly ClinicalDate,
    DocumentAuthor Author,
    string? SourceSoftware,
    DocumentFormat Format,
    string ContentType,
    string? FileName,
    long Size,
    string Sha256,
    DocumentStatus Status,
    Confidentiality Confidentiality,
    bool MaskedFromProfessionals,
    bool VisibleToPatient,
    DateTimeOffset? ReleaseAt,
    bool HiddenFromGuardians,
    Guid? Replaces,
    Guid? SupersededBy,
    DateTimeOffset AddedAt);

/// <summary>Filters of the patient's list; null means any. Status defaults to current documents.</summary>
public sealed record DocumentFilter(
    DocumentTab? Tab = null,
    DocumentCategory? Category = null,
    string? TypeCode = null,
    DateOnly? From = null,
    DateOnly? To = null,
    AuthorKind? AuthorKind = null,
    DocumentStatus? Status = null,
    int Offset = 0,
    int Limit = 50);

public sealed record DocumentPage(IReadOnlyList<DocumentInfo> Items, int Offset, int Limit, long Total);

/// <summary>The patient's edits of their own document's description.</summary>
public sealed record DocumentChange(string? Title, DocumentCategory? Category, string? TypeCode);

/// <summary>The result of an upload: the document, and whether it is a replay of an earlier one with the same idempotency key.</summary>
public sealed record UploadResult(DocumentInfo Document, bool Replayed);

/// <summary>An open document: its description and its decrypted content, seekable for Range requests.</summary>
public sealed record DocumentContent(DocumentInfo Document, Stream Content);

/// <summary>The content being uploaded, as declared by the transport (its declared type, if any).</summary>
public sealed record UploadContent(Stream Stream, string? DeclaredContentType, long? DeclaredLength);
