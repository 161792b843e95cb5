using MonEspaceSante.Content;
using System.Globalization;

namespace MonEspaceSante.Documents;

/// <summary>One row of the documents table, as Dapper maps it.</summary>
internal sealed class DocumentRow
{
    public string SpaceId { get; set; } = "";
    public string DocumentId { get; set; } = "";
    public string TypeCode { get; set; } = "";
    public string Category { get; set; } = "";
    public string Tab { get; set; } = "";
    public string Title { get; set; } = "";
    public string ClinicalDate { get; set; } = "";
    public string AuthorKind { get; set; } = "";
    public string? AuthorId { get; set; }
    public string? AuthorName { get; set; }
    public string? SourceSoftware { get; set; }
    public string Format { get; set; } = "";
    public string? FileName { get; set; }
    public long Size { get; set; }
    public string Sha256 { get; set; } = "";
    public string Status { get; set; } = "";
    public string Confidentiality { get; set; } = "";
    public int Masked { get; set; }
    public int HiddenFromPatient { get; set; }
    public long? ReleaseAtMs { get; set; }
    public int HiddenFromGuardians { get; set; }
    public string? Replaces { get; set; }
    public string? SupersededBy { get; set; }
    public string ContentKey { get; set; } = "";
    public string UploadedBy { get; set; } = "";
    public string? IdempotencyKey { get; set; }
    public string RequestHash { get; set; } = "";
    public long AddedAtMs { get; set; }
    public long UpdatedAtMs { get; set; }

    public const string Columns =
        "space_id as SpaceId, document_id as DocumentId, type_code as TypeCode, category as Category, tab as Tab, title as Title, " +
        "clinical_date as ClinicalDate, author_kind as AuthorKind, author_id as AuthorId, author_name as AuthorName, source_software as SourceSoftware, " +
        "format as Format, file_name as FileName, size as Size, sha256 as Sha256, status as Status, confidentiality as Confidentiality, masked as Masked, " +
        "hidden_from_patient as HiddenFromPatient, release_at_ms as ReleaseAtMs, hidden_from_guardians as HiddenFromGuardians, replaces as Replaces, " +
        "superseded_by as SupersededBy, content_key as ContentKey, uploaded_by as UploadedBy, idempotency_key as IdempotencyKey, request_hash as RequestHash, " +
        "added_at_ms as AddedAtMs, updated_at_ms as UpdatedAtMs";

    public const string Insert =
        "insert into documents (space_id, document_id, type_code, category, tab, title, clinical_date, author_kind, author_id, author_name, source_software, " +
        "format, file_name, size, sha256, status, confidentiality, masked, hidden_from_patient, release_at_ms, hidden_from_guardians, replaces, superseded_by, " +
        "content_key, uploaded_by, idempotency_key, request_hash, added_at_ms, updated_at_ms) values (@SpaceId, @DocumentId, @TypeCode, @Category, @Tab, @Title, " +
        "@ClinicalDate, @AuthorKind, @AuthorId, @AuthorName, @SourceSoftware, @Format, @FileName, @Size, @Sha256, @Status, @Confidentiality, @Masked, " +
        "@HiddenFromPatient, @ReleaseAtMs, @HiddenFromGuardians, @Replaces, @SupersededBy, @ContentKey, @UploadedBy, @IdempotencyKey, @RequestHash, @AddedAtMs, @UpdatedAtMs)";

    public bool IsVisibleToPatient(DateTimeOffset now) =>
        HiddenFromPatient == 0 || (ReleaseAtMs is { } release && release <= now.ToUnixTimeMilliseconds());

    public DocumentInfo ToInfo(DateTimeOffset now)
    {
        var format = Enum.Parse<DocumentFormat>(Format);
        return new DocumentInfo(
            Guid.Parse(DocumentId),
            TypeCode,
            Enum.Parse<DocumentTab>(Tab),
            Enum.Parse<DocumentCategory>(Category),
            Title,
            DateOnly.ParseExact(ClinicalDate, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            new DocumentAuthor(Enum.Parse<AuthorKind>(AuthorKind), AuthorId, AuthorName),
            SourceSoftware,
            format,
            ContentTypes.Of(format),
            FileNames.Safe(FileName),
            Size,
            Sha256,
            Enum.Parse<DocumentStatus>(Status),
            Enum.Parse<Confidentiality>(Confidentiality),
            Masked != 0,
            IsVisibleToPatient(now),
            ReleaseAtMs is { } release ? DateTimeOffset.FromUnixTimeMilliseconds(release) : null,
            HiddenFromGuardians != 0,
            Replaces is null ? null : Guid.Parse(Replaces),
            SupersededBy is null ? null : Guid.Parse(SupersededBy),
            DateTimeOffset.FromUnixTimeMilliseconds(AddedAtMs));
    }
}
