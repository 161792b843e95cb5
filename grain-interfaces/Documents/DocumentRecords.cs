using System.ComponentModel;
using Orleans;

namespace MonEspaceSante.Documents;

/// <summary>The author of a document: the patient, a professional (by RPPS) or a facility (by FINESS).</summary>
[GenerateSerializer]
[Alias("mes.DocumentAuthor")]
public sealed record DocumentAuthor([property: Id(0)] AuthorKind Kind, [property: Id(1)] string? Id, [property: Id(2)] string? Name);

/// <summary>What an uploader declares about a document; the content itself travels separately.</summary>
[GenerateSerializer]
[Alias("mes.DocumentDeclaration")]
public sealed record DocumentDeclaration
{
    /// <summary>LOINC type code (ANS TRE_A04); defaults from the category when absent.</summary>
    [Id(0)]
    public string? TypeCode { get; init; }
    [Id(1)]
    public DocumentCategory? Category { get; init; }
    [Id(2)]
    public string? Title { get; init; }
    [Id(3)]
    public DateOnly? ClinicalDate { get; init; }
    [Id(4)]
    public string? SourceSoftware { get; init; }
    /// <summary>The file's name as the uploader gave it (else the content part's <c>filename</c>), normalised: <see cref="FileNameRule.Text"/>.</summary>
    [Id(5)]
    [Description(FileNameRule.Text)]
    public string? FileName { get; init; }
    [Id(6)]
    public Confidentiality Confidentiality { get; init; } = Confidentiality.N;

    /// <summary>MASQUE_PS: masked from professionals (the treating doctor still sees it).</summary>
    [Id(7)]
    public bool MaskedFromProfessionals { get; init; }

    /// <summary>INVISIBLE_PATIENT: not shown to the patient until <see cref="ReleaseAt"/> or a manual release.</summary>
    [Id(8)]
    public bool HiddenFromPatient { get; init; }
    [Id(9)]
    public DateTimeOffset? ReleaseAt { get; init; }

    /// <summary>INVISIBLE_REPRESENTANTS_LEGAUX: hidden from a minor's legal guardians.</summary>
    [Id(10)]
    public bool HiddenFromGuardians { get; init; }

    /// <summary>The document this one replaces; the replaced one becomes superseded.</summary>
    [Id(11)]
    public Guid? Replaces { get; init; }

    /// <summary>For professionals' software: who wrote the document (a professional or a facility).</summary>
    [Id(12)]
    public DocumentAuthor? Author { get; init; }

    /// <summary>
    /// For professionals' software: the patient's birth date, checked against the space the NIR
    /// led to (an INS identity is the NIR with its traits, never the NIR alone).
    /// </summary>
    [Id(13)]
    public DateOnly? PatientBirthDate { get; init; }
}

[GenerateSerializer]
[Alias("mes.DocumentInfo")]
public sealed record DocumentInfo(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string TypeCode,
    [property: Id(2)] DocumentTab Tab,
    [property: Id(3)] DocumentCategory Category,
    [property: Id(4)] string Title,
    [property: Id(5)] DateOnly ClinicalDate,
    [property: Id(6)] DocumentAuthor Author,
    [property: Id(7)] string? SourceSoftware,
    [property: Id(8)] DocumentFormat Format,
    [property: Id(9)] string ContentType,
    [property: Id(10), Description(FileNameRule.Text)] string? FileName,
    [property: Id(11)] long Size,
    [property: Id(12)] string Sha256,
    [property: Id(13)] DocumentStatus Status,
    [property: Id(14)] Confidentiality Confidentiality,
    [property: Id(15)] bool MaskedFromProfessionals,
    [property: Id(16)] bool VisibleToPatient,
    [property: Id(17)] DateTimeOffset? ReleaseAt,
    [property: Id(18)] bool HiddenFromGuardians,
    [property: Id(19)] Guid? Replaces,
    [property: Id(20)] Guid? SupersededBy,
    [property: Id(21)] DateTimeOffset AddedAt);

/// <summary>Filters of the patient's list; null means any. Status defaults to current documents.</summary>
[GenerateSerializer]
[Alias("mes.DocumentFilter")]
public sealed record DocumentFilter(
    [property: Id(0)] DocumentTab? Tab = null,
    [property: Id(1)] DocumentCategory? Category = null,
    [property: Id(2)] string? TypeCode = null,
    [property: Id(3)] DateOnly? From = null,
    [property: Id(4)] DateOnly? To = null,
    [property: Id(5)] AuthorKind? AuthorKind = null,
    [property: Id(6)] DocumentStatus? Status = null,
    [property: Id(7)] int Offset = 0,
    [property: Id(8)] int Limit = 50);

[GenerateSerializer]
[Alias("mes.DocumentPage")]
public sealed record DocumentPage([property: Id(0)] IReadOnlyList<DocumentInfo> Items, [property: Id(1)] int Offset, [property: Id(2)] int Limit, [property: Id(3)] long Total);

/// <summary>The patient's edits of their own document's description.</summary>
[GenerateSerializer]
[Alias("mes.DocumentChange")]
public sealed record DocumentChange([property: Id(0)] string? Title, [property: Id(1)] DocumentCategory? Category, [property: Id(2)] string? TypeCode);

/// <summary>The result of an upload: the document, and whether it is a replay of an earlier one with the same idempotency key.</summary>
[GenerateSerializer]
[Alias("mes.UploadResult")]
public sealed record UploadResult([property: Id(0)] DocumentInfo Document, [property: Id(1)] bool Replayed);

/// <summary>An open document: its description and its decrypted content, seekable for Range requests.</summary>
public sealed record DocumentContent(DocumentInfo Document, Stream Content);

/// <summary>The content being uploaded, as declared by the transport (its declared type, if any).</summary>
public sealed record UploadContent(Stream Stream, string? DeclaredContentType, long? DeclaredLength);

/// <summary>
/// Leave to store one upload's content: the object key to write, and the space's data key as
/// wrapped by the master key (only a silo, which holds the master key, can open it).
/// </summary>
[GenerateSerializer]
[Alias("mes.UploadPermit")]
public sealed record UploadPermit([property: Id(0)] string ContentKey, [property: Id(1)] string WrappedDataKey);

/// <summary>What the silo that streamed an upload found and wrote: the format by content, the size and the SHA-256 of the plain bytes.</summary>
[GenerateSerializer]
[Alias("mes.StoredUpload")]
public sealed record StoredUpload([property: Id(0)] string ContentKey, [property: Id(1)] DocumentFormat Format, [property: Id(2)] long Size, [property: Id(3)] string Sha256);

/// <summary>A document the caller may download and where its encrypted content is.</summary>
[GenerateSerializer]
[Alias("mes.StoredDocument")]
public sealed record StoredDocument(
    [property: Id(0)] DocumentInfo Document,
    [property: Id(1)] string ContentKey,
    [property: Id(2)] string WrappedDataKey,
    [property: Id(3)] long Size,
    [property: Id(4)] string Sha256);
