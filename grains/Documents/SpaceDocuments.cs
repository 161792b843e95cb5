using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using MonEspaceSante.Access;
using MonEspaceSante.Content;
using MonEspaceSante.Errors;
using MonEspaceSante.Identity;
using MonEspaceSante.Professionals;
using MonEspaceSante.Runtime;
using MonEspaceSante.Spaces;
using MonEspaceSante.Storage;

namespace MonEspaceSante.Documents;

/// <summary>
/// The documents of one patient space, run by the space's grain (<see cref="Spaces.PatientSpaceGrain"/>)
/// on its state: the space's status and data key and the caller's rights are checked in the
/// transaction that writes the documents table and the patient's feed, one call at a time with
/// everything else the space does, so a closure is ordered before or after a document, never
/// beside it. Content is streamed outside the grain (<see cref="DocumentVault"/>). Rules: docs/documents.md.
/// </summary>
public sealed class SpaceDocuments(Guid spaceId, DocumentServices services, IGrainCaller<PatientSpaceState> calls)
{
    public const string AddedKind = "document.added";

    private string Id => spaceId.ToString();

    public async Task<UploadPermit> PrepareUploadAsync(Caller caller, DocumentDeclaration declaration, string? idempotencyKey, long? declaredLength)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(declaration);
        Describe(caller, declaration);
        if (idempotencyKey is { Length: 0 or > 200 })
        {
            throw new DomainException(DomainError.InvalidRequest, "Idempotency-Key must be 1 to 200 characters.");
        }

        if (declaredLength > services.Options.MaxSize)
        {
            throw new DomainException(DomainError.ContentTooLarge, $"The limit is {services.Options.MaxSize} bytes.");
        }

        // The content's object is named after the document it will become, so a professional's
        // upload is recorded in the history against that document before its content arrives.
        var contentKey = $"{spaceId:N}/{Guid.NewGuid():N}";
        var wrappedKey = await UploadKeyAsync(caller, declaration, contentKey);
        return new UploadPermit(contentKey, wrappedKey);
    }

    public Task<UploadResult> CommitUploadAsync(Caller caller, DocumentDeclaration declaration, StoredUpload stored, string? idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(declaration);
        ArgumentNullException.ThrowIfNull(stored);
        // Only content prepared for this space can become one of its documents.
        if (!stored.ContentKey.StartsWith($"{spaceId:N}/", StringComparison.Ordinal))
        {
            throw new DomainException(DomainError.InvalidRequest, "The content was not prepared for this space.");
        }

        return CommitAsync(caller, Describe(caller, declaration), declaration, stored.Format, stored.Size, stored.Sha256, stored.ContentKey, idempotencyKey);
    }

    public Task<DocumentPage> ListAsync(Caller caller, DocumentFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.Offset < 0 || filter.Limit is < 1 or > 200 || (filter.From > filter.To))
        {
            throw new DomainException(DomainError.InvalidRequest, "offset must be >= 0, limit between 1 and 200, and from not after to.");
        }

        return ReadAsync(caller, AccessAction.ListDocuments, null, async (ctx, rights) =>
        {
            var parameters = new DynamicParameters(new { spaceId = Id, now = ctx.Now.ToUnixTimeMilliseconds() });
            var where = new StringBuilder("space_id = @spaceId and status <> 'Deleted'");
            if (rights is null)
            {
                where.Append(" and (hidden_from_patient = 0 or (release_at_ms is not null and release_at_ms <= @now))");
                if (caller.Kind == CallerKind.Guardian)
                {
                    where.Append(" and hidden_from_guardians = 0");
                }
            }
            else
            {
                // A professional's view: the categories their rights cover, masked documents for
                // the treating doctor only. Counts are taken over the same view, so nothing masked
                // shows even as a number.
                // Dapper sends a list as one array to PostgreSQL and expands it for SQLite.
                where.Append(services.Provider == DatabaseProvider.Postgres ? " and category = any(@categories)" : " and category in @categories");
                parameters.Add("categories", rights.Categories.Select(c => c.ToString()).ToArray());
                if (!rights.SeesMasked)
                {
                    where.Append(" and masked = 0");
                }
            }

            where.Append(" and status = @status");
            parameters.Add("status", (filter.Status ?? DocumentStatus.Current).ToString());
            if (filter.Tab is { } tab)
            {
                where.Append(" and tab = @tab");
                parameters.Add("tab", tab.ToString());
            }

            if (filter.Category is { } category)
            {
                where.Append(" and category = @category");
                parameters.Add("category", category.ToString());
            }

            if (filter.TypeCode is { } typeCode)
            {
                where.Append(" and type_code = @typeCode");
                parameters.Add("typeCode", typeCode);
            }

            if (filter.From is { } from)
            {
                where.Append(" and clinical_date >= @from");
                parameters.Add("from", Date(from));
            }

            if (filter.To is { } to)
            {
                where.Append(" and clinical_date <= @to");
                parameters.Add("to", Date(to));
            }

            if (filter.AuthorKind is { } authorKind)
            {
                where.Append(" and author_kind = @authorKind");
                parameters.Add("authorKind", authorKind.ToString());
            }

            parameters.Add("limit", filter.Limit);
            parameters.Add("offset", filter.Offset);
            // The count and the page in one round trip: every list pays it, and on PostgreSQL
            // each round trip costs both processes a wake-up.
            await using var results = await ctx.Connection.QueryMultipleAsync(
                $"select count(*) from documents where {where}; " +
                $"select {DocumentRow.Columns} from documents where {where} order by clinical_date desc, added_at_ms desc, document_id limit @limit offset @offset",
                parameters, ctx.Transaction);
            var total = await results.ReadSingleAsync<long>();
            var rows = await results.ReadAsync<DocumentRow>();
            return new DocumentPage(rows.Select(r => ForReader(r.ToInfo(ctx.Now), rights)).ToList(), filter.Offset, filter.Limit, total);
        });
    }

    public Task<DocumentInfo> GetAsync(Caller caller, Guid documentId) =>
        ReadAsync(caller, AccessAction.ReadDocument, documentId, async (ctx, rights) =>
            ForReader((await VisibleAsync(ctx, documentId, rights, caller) ?? throw new DomainException(DomainError.NotFound)).ToInfo(ctx.Now), rights));

    public async Task<StoredDocument> LocateAsync(Caller caller, Guid documentId)
    {
        var (row, wrappedKey, now) = await ReadAsync(caller, AccessAction.DownloadDocument, documentId, async (ctx, rights) =>
            (await VisibleAsync(ctx, documentId, rights, caller) ?? throw new DomainException(DomainError.NotFound), ctx.State!.DataKey, ctx.Now));
        return wrappedKey is null
            ? throw new DomainException(DomainError.ContentCorrupted, "The space has no data key.")
            : new StoredDocument(row.ToInfo(now), row.ContentKey, wrappedKey, row.Size, row.Sha256);
    }

    public Task<bool> AnnounceReleaseAsync(Guid documentId) =>
        calls.CallAsync(async ctx =>
        {
            var row = await LoadAsync(ctx, documentId);
            // Released by hand already (notified then), deleted, or not yet due: nothing to say.
            if (ctx.State is null || row is null || row.HiddenFromPatient == 0 || row.Status != nameof(DocumentStatus.Current) || !row.IsVisibleToPatient(ctx.Now))
            {
                return false;
            }

            ctx.Notify(Id, AddedKind, AddedPayload(row));
            return true;
        });

    public Task<DocumentInfo> ChangeAsync(Caller caller, Guid documentId, DocumentChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return WriteAsync(caller, async ctx =>
        {
            var row = await VisibleAsync(ctx, documentId, caller);
            if (row.AuthorKind != nameof(AuthorKind.Patient))
            {
                throw new DomainException(DomainError.DocumentReadOnly);
            }

            var title = change.Title is null ? row.Title : CheckTitle(change.Title);
            var category = change.Category ?? Enum.Parse<DocumentCategory>(row.Category);
            var typeCode = change.TypeCode ?? (change.Category is { } newCategory ? DocumentTypes.DefaultCode(newCategory) : row.TypeCode);
            if (!DocumentTypes.IsValid(typeCode))
            {
                throw new DomainException(DomainError.InvalidRequest, "typeCode is not a valid LOINC code.");
            }

            await ctx.Connection.ExecuteAsync(
                "update documents set title = @title, category = @category, tab = @tab, type_code = @typeCode, updated_at_ms = @now where space_id = @spaceId and document_id = @documentId",
                new { title, category = category.ToString(), tab = DocumentCategories.TabOf(category).ToString(), typeCode, now = ctx.Now.ToUnixTimeMilliseconds(), spaceId = Id, documentId = row.DocumentId },
                ctx.Transaction);
            return (await LoadAsync(ctx, documentId))!.ToInfo(ctx.Now);
        });
    }

    public Task<DocumentInfo> SetMaskedAsync(Caller caller, Guid documentId, bool masked) =>
        WriteAsync(caller, async ctx =>
        {
            var row = await VisibleAsync(ctx, documentId, caller);
            await SetChainMaskedAsync(ctx, row.DocumentId, masked);
            return (await LoadAsync(ctx, documentId))!.ToInfo(ctx.Now);
        });

    public Task<DocumentInfo> ReleaseAsync(Caller caller, Guid documentId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return calls.CallAsync(async ctx =>
        {
            // A release is an access like an upload: decided, recorded, notified; a professional
            // since blocked or revoked releases nothing. Only the professional who sent the
            // document decides when the patient may see it.
            var attempt = await services.Gate.EvaluateAsync(ctx, caller, upload: true);
            var row = attempt.Decision.Allowed ? await LoadAsync(ctx, documentId) : null;
            var theirs = row is not null && row.UploadedBy == UploaderOf(caller) && row.Status != nameof(DocumentStatus.Deleted);
            var denial = attempt.Decision.Allowed && !theirs ? DenialReason.NotVisible : DenialReason.None;
            if (!await services.Gate.RecordAsync(ctx, attempt, AccessAction.ReleaseDocument, documentId.ToString(), denial: denial, hiddenFromGuardians: row?.HiddenFromGuardians == 1))
            {
                return null!;
            }

            RequireWritable(ctx, caller);

            var wasVisible = row!.IsVisibleToPatient(ctx.Now);
            await ctx.Connection.ExecuteAsync(
                "update documents set hidden_from_patient = 0, updated_at_ms = @now where space_id = @spaceId and document_id = @documentId",
                new { now = ctx.Now.ToUnixTimeMilliseconds(), spaceId = Id, documentId = row.DocumentId }, ctx.Transaction);
            if (!wasVisible && row!.Status == nameof(DocumentStatus.Current))
            {
                ctx.Notify(Id, AddedKind, AddedPayload(row));
            }

            return (await LoadAsync(ctx, documentId))!.ToInfo(ctx.Now);
        });
    }

    public async Task DeleteAsync(Caller caller, Guid documentId)
    {
        var removedContent = await WriteAsync(caller, async ctx =>
        {
            var row = await VisibleAsync(ctx, documentId, caller);
            var args = new { now = ctx.Now.ToUnixTimeMilliseconds(), spaceId = Id, documentId = row.DocumentId };
            if (row.AuthorKind == nameof(AuthorKind.Patient))
            {
                // The patient's own upload: really gone, content included (removed after commit).
                await ctx.Connection.ExecuteAsync("delete from documents where space_id = @spaceId and document_id = @documentId", args, ctx.Transaction);
                await ctx.Connection.ExecuteAsync("update documents set superseded_by = null where space_id = @spaceId and superseded_by = @documentId", args, ctx.Transaction);
                await ContentOrphans.AbandonAsync(ctx.Connection, ctx.Transaction, row.ContentKey, Id);
                return row.ContentKey;
            }

            // A professional's document stays in the record: masked (its earlier versions too), and out of the patient's view.
            await SetChainMaskedAsync(ctx, row.DocumentId, masked: true);
            await ctx.Connection.ExecuteAsync(
                "update documents set status = 'Deleted', updated_at_ms = @now where space_id = @spaceId and document_id = @documentId", args, ctx.Transaction);
            return null;
        });

        if (removedContent is not null)
        {
            await services.Orphans.DiscardAsync(removedContent, CancellationToken.None);
        }
    }

    /// <summary>
    /// Masks or unmasks every version of a document (the rows linked by replaces / superseded_by):
    /// masking only the current one would leave its earlier versions, with nearly the same
    /// content, in professionals' view.
    /// </summary>
    private Task<int> SetChainMaskedAsync(GrainContext<PatientSpaceState> ctx, string documentId, bool masked) =>
        ctx.Connection.ExecuteAsync(
            "update documents set masked = @masked, updated_at_ms = @now where space_id = @spaceId and document_id in (" +
            "with recursive chain(id) as (select @documentId union " +
            "select d.document_id from documents d join chain c on d.superseded_by = c.id or d.replaces = c.id where d.space_id = @spaceId) " +
            "select id from chain)",
            new { masked = masked ? 1 : 0, now = ctx.Now.ToUnixTimeMilliseconds(), spaceId = Id, documentId }, ctx.Transaction);

    internal static string AddedPayload(DocumentRow row)
    {
        var payload = new Dictionary<string, string>
        {
            ["documentId"] = row.DocumentId,
            ["category"] = row.Category,
            ["authorKind"] = row.AuthorKind,
            ["author"] = row.AuthorName ?? "",
        };
        if (row.HiddenFromGuardians != 0)
        {
            // Left out of everything a minor's guardians read.
            payload[GuardianView.HiddenMarker] = "true";
        }

        return JsonSerializer.Serialize(payload, GrainJsonContext.Default.DictionaryStringString);
    }

    /// <summary>Validates the declaration and settles category, type and author.</summary>
    private (DocumentCategory Category, string TypeCode, string Title, DateOnly ClinicalDate, DocumentAuthor Author) Describe(Caller caller, DocumentDeclaration declaration)
    {
        var title = CheckTitle(declaration.Title);
        if (declaration.TypeCode is { } code && !DocumentTypes.IsValid(code))
        {
            throw new DomainException(DomainError.InvalidRequest, "typeCode is not a valid LOINC code (digits, dash, check digit).");
        }

        var category = declaration.Category ?? (declaration.TypeCode is { } known ? DocumentTypes.CategoryOf(known) : null)
            ?? throw new DomainException(DomainError.InvalidRequest, "category is required when typeCode is not a known document type.");
        if (!Enum.IsDefined(category) || !Enum.IsDefined(declaration.Confidentiality))
        {
            throw new DomainException(DomainError.InvalidRequest, "category or confidentiality is not valid.");
        }

        var today = DateOnly.FromDateTime(services.Time.GetUtcNow().UtcDateTime);
        var clinicalDate = declaration.ClinicalDate ?? today;
        if (clinicalDate > today.AddDays(1) || clinicalDate.Year < 1900)
        {
            throw new DomainException(DomainError.InvalidRequest, "clinicalDate must not be in the future.");
        }

        if (declaration.ReleaseAt is not null && !declaration.HiddenFromPatient)
        {
            throw new DomainException(DomainError.InvalidRequest, "releaseAt only applies to a document hidden from the patient.");
        }

        if (declaration.SourceSoftware is { Length: > 200 } || declaration.FileName is { Length: > 1024 })
        {
            throw new DomainException(DomainError.InvalidRequest, "sourceSoftware (200 characters) or fileName (1024) is too long.");
        }

        DocumentAuthor author;
        if (caller.IsHolderSide)
        {
            if (declaration.Author is not null || declaration.HiddenFromPatient || declaration.HiddenFromGuardians || declaration.PatientBirthDate is not null)
            {
                throw new DomainException(DomainError.InvalidRequest, "A patient's upload is authored by the patient and visible to them.");
            }

            author = new DocumentAuthor(AuthorKind.Patient, null, null);
        }
        else
        {
            if (declaration.MaskedFromProfessionals)
            {
                // Masking is the patient's decision alone (docs/access.md).
                throw new DomainException(DomainError.InvalidRequest, "Only the patient can mask a document from professionals.");
            }

            author = declaration.Author switch
            {
                // A professional sending their own document: named from the directory at commit.
                null when caller.Kind == CallerKind.Professional => new DocumentAuthor(AuthorKind.Professional, caller.Id, null),
                { Kind: AuthorKind.Professional, Id: { } rpps } when Rpps.IsValid(rpps) && rpps.Length == 11 => declaration.Author with { Name = CheckName(declaration.Author.Name) },
                { Kind: AuthorKind.Facility, Id: { } finess } when finess.Length == 9 && finess.All(char.IsAsciiLetterOrDigit) => declaration.Author with { Name = CheckName(declaration.Author.Name) },
                _ => throw new DomainException(DomainError.InvalidRequest, "author must be a professional (11-digit RPPS) or a facility (9-character FINESS), with a name."),
            };
        }

        return (category, declaration.TypeCode ?? DocumentTypes.DefaultCode(category), title, clinicalDate, author);
    }

    private string CheckTitle(string? title)
    {
        var trimmed = title?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > services.Options.MaxTitleLength || trimmed.Any(char.IsControl))
        {
            throw new DomainException(DomainError.InvalidRequest, $"title is required, at most {services.Options.MaxTitleLength} characters, without control characters.");
        }

        return trimmed;
    }

    private static string CheckName(string? name)
    {
        var trimmed = name?.Trim();
        return string.IsNullOrEmpty(trimmed) || trimmed.Length > 200 || trimmed.Any(char.IsControl)
            ? throw new DomainException(DomainError.InvalidRequest, "author.name is required (at most 200 characters).")
            : trimmed;
    }

    /// <summary>
    /// Checks that the caller may upload here, registers the object about to be written (so a
    /// crash mid-upload leaves nothing the sweeper does not know of) and returns the space's
    /// data key, creating it on first use. One transaction.
    /// </summary>
    private Task<string> UploadKeyAsync(Caller caller, DocumentDeclaration declaration, string contentKey) =>
        calls.CallAsync(async ctx =>
        {
            if (!caller.IsHolderSide)
            {
                // A professional's upload is an access like any other: decided, recorded, notified.
                // Named by INS (software), a refused one counts for the mass-access guard: a
                // document accepted for a space waiting for activation would otherwise let
                // software probe NIRs for free (an accepted upload still does not count).
                var attempt = await services.Gate.EvaluateAsync(ctx, caller, upload: true);
                var mismatch = attempt.Decision.Allowed && declaration.PatientBirthDate is { } declared && declared != ctx.State!.BirthDate;
                // A new version of a document hidden from guardians is hidden too (CommitAsync).
                var hidden = declaration.HiddenFromGuardians
                    || (declaration.Replaces is { } replaced && (await LoadAsync(ctx, replaced))?.HiddenFromGuardians == 1);
                if (!await services.Gate.RecordAsync(ctx, attempt, AccessAction.AddDocument, DocumentIdOf(contentKey).ToString(),
                    denial: mismatch ? DenialReason.IdentityMismatch : DenialReason.None, hiddenFromGuardians: hidden,
                    lookup: declaration.PatientBirthDate is not null))
                {
                    return "";
                }
            }

            var (state, _) = await RequireUploaderAsync(ctx, caller, declaration.PatientBirthDate);
            if (state.DataKey is null)
            {
                state.DataKey = services.DataKeys.Wrap(spaceId, DataKeys.NewDataKey());
                ctx.Write(state, state.Status.ToString(), SpaceLifecycle.DueAt(state));
            }

            // Registered before the content is written: the call commits before it returns.
            ctx.WriteAtCommit(ContentOrphans.Registration(contentKey, Id, ctx.Now));
            return state.DataKey;
        });

    private Task<UploadResult> CommitAsync(
        Caller caller,
        (DocumentCategory Category, string TypeCode, string Title, DateOnly ClinicalDate, DocumentAuthor Author) described,
        DocumentDeclaration declaration,
        DocumentFormat format,
        long size,
        string sha256,
        string contentKey,
        string? idempotencyKey)
    {
        var requestHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{UploaderOf(caller)}|{sha256}|{JsonSerializer.Serialize(declaration, GrainJsonContext.Default.DocumentDeclaration)}")));
        return calls.CallAsync(async ctx =>
        {
            var uploader = await RequireUploaderAsync(ctx, caller, declaration.PatientBirthDate);
            if (idempotencyKey is not null)
            {
                var earlier = await ctx.Connection.QuerySingleOrDefaultAsync<DocumentRow>(
                    $"select {DocumentRow.Columns} from documents where space_id = @spaceId and idempotency_key = @idempotencyKey",
                    new { spaceId = Id, idempotencyKey }, ctx.Transaction);
                if (earlier is not null)
                {
                    return earlier.RequestHash == requestHash
                        ? new UploadResult(earlier.ToInfo(ctx.Now), Replayed: true)
                        : throw new DomainException(DomainError.IdempotencyMismatch);
                }
            }

            var documentId = DocumentIdOf(contentKey);
            DocumentRow? previous = null;
            if (declaration.Replaces is { } replaced)
            {
                var old = await LoadAsync(ctx, replaced);
                // A professional learns nothing of documents they did not send: another's is "not found".
                if (old is null || old.Status == nameof(DocumentStatus.Deleted) || (caller.IsHolderSide && (!old.IsVisibleToPatient(ctx.Now) || HiddenFrom(caller, old)))
                    || (!caller.IsHolderSide && old.UploadedBy != UploaderOf(caller)))
                {
                    throw new DomainException(DomainError.NotFound, "The document to replace does not exist.");
                }

                previous = old;

                if (caller.IsHolderSide ? old.AuthorKind != nameof(AuthorKind.Patient) : old.UploadedBy != UploaderOf(caller))
                {
                    throw new DomainException(DomainError.DocumentReadOnly);
                }

                if (old.Status != nameof(DocumentStatus.Current))
                {
                    throw new DomainException(DomainError.InvalidState, "The document was already replaced.");
                }

                await ctx.Connection.ExecuteAsync(
                    "update documents set status = 'Superseded', superseded_by = @documentId, updated_at_ms = @now where space_id = @spaceId and document_id = @old",
                    new { documentId = documentId.ToString(), now = ctx.Now.ToUnixTimeMilliseconds(), spaceId = Id, old = old.DocumentId }, ctx.Transaction);
            }

            var row = new DocumentRow
            {
                SpaceId = Id,
                DocumentId = documentId.ToString(),
                TypeCode = described.TypeCode,
                Category = described.Category.ToString(),
                Tab = DocumentCategories.TabOf(described.Category).ToString(),
                Title = described.Title,
                ClinicalDate = Date(described.ClinicalDate),
                AuthorKind = described.Author.Kind.ToString(),
                AuthorId = described.Author.Id,
                AuthorName = described.Author.Name ?? (described.Author.Id == uploader.Professional?.Rpps ? uploader.Professional?.DisplayName : null),
                SourceSoftware = declaration.SourceSoftware,
                Format = format.ToString(),
                FileName = FileNames.Safe(declaration.FileName),
                Size = size,
                Sha256 = sha256,
                Status = nameof(DocumentStatus.Current),
                Confidentiality = declaration.Confidentiality.ToString(),
                // A new version keeps the patient's mask and the guardians' exclusion of the one it replaces.
                Masked = declaration.MaskedFromProfessionals || previous?.Masked == 1 ? 1 : 0,
                HiddenFromPatient = declaration.HiddenFromPatient ? 1 : 0,
                ReleaseAtMs = declaration.ReleaseAt?.ToUnixTimeMilliseconds(),
                HiddenFromGuardians = declaration.HiddenFromGuardians || previous?.HiddenFromGuardians == 1 ? 1 : 0,
                Replaces = declaration.Replaces?.ToString(),
                ContentKey = contentKey,
                UploadedBy = UploaderOf(caller),
                IdempotencyKey = idempotencyKey,
                RequestHash = requestHash,
                AddedAtMs = ctx.Now.ToUnixTimeMilliseconds(),
                UpdatedAtMs = ctx.Now.ToUnixTimeMilliseconds(),
            };
            if (services.Provider == DatabaseProvider.Postgres)
            {
                // One statement: the upload path is hot. The content is adopted, the document
                // inserted and the record's recent readers read (for the care watchers) together.
                var parameters = new DynamicParameters(row);
                parameters.Add("space", Id);
                parameters.Add("since", CareWatchers.Since(ctx, services.Gate));
                var readers = await ctx.Connection.QueryAsync<string>(
                    "with adopted as (delete from content_orphans where content_key = @ContentKey), added as (" + DocumentRow.Insert + ") " + CareWatchers.ReadersSql,
                    parameters, ctx.Transaction);
                await CareWatchers.NotifyAsync(ctx, row, caller, services.Gate, readers);
            }
            else
            {
                await ctx.Connection.ExecuteAsync(DocumentRow.Insert, row, ctx.Transaction);
                await ContentOrphans.AdoptAsync(ctx.Connection, ctx.Transaction, contentKey);
                await CareWatchers.NotifyAsync(ctx, row, caller, services.Gate);
            }

            if (row.IsVisibleToPatient(ctx.Now))
            {
                ctx.Notify(Id, AddedKind, AddedPayload(row));
            }
            else if (declaration.ReleaseAt is { } releaseAt)
            {
                ctx.Enqueue(DocumentReleases.Job(spaceId, documentId, releaseAt));
            }

            return new UploadResult(row.ToInfo(ctx.Now), Replayed: false);
        });
    }

    /// <summary>
    /// Reads take no row lock (a share lock would write the space's row on every read); they
    /// see the state as committed when they start, which is all a read needs. The patient reads
    /// their own space; a professional passes the access gate, which writes the history entry
    /// in this transaction, and reads with the rights it found (null for the patient). A
    /// document the professional may not see is refused and recorded as such.
    /// </summary>
    private Task<T> ReadAsync<T>(Caller caller, AccessAction action, Guid? documentId, Func<GrainContext<PatientSpaceState>, AccessRights?, Task<T>> body)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return calls.CallAsync(async ctx =>
        {
            if (caller.Kind is CallerKind.Professional or CallerKind.Client)
            {
                var attempt = await services.Gate.EvaluateAsync(ctx, caller);
                // Loaded even for a refusal: an entry about a document hidden from the minor's
                // guardians is marked so, whatever its outcome (GuardianView).
                var row = documentId is { } id ? await LoadAsync(ctx, id) : null;
                var denial = attempt.Decision.Allowed && documentId is not null && Visible(row, attempt.Decision.Rights, caller, ctx.Now) is null
                    ? DenialReason.NotVisible
                    : DenialReason.None;
                return await services.Gate.RecordAsync(ctx, attempt, action, documentId?.ToString(), denial: denial, hiddenFromGuardians: row?.HiddenFromGuardians == 1)
                    ? await body(ctx, attempt.Decision.Rights)
                    : default!;
            }

            var state = RequireOwner(ctx, caller);
            // A closed space stays readable: it is the patient's archive.
            if (state.Status is not (SpaceStatus.Active or SpaceStatus.Closed))
            {
                throw new DomainException(DomainError.NotFound);
            }

            return await body(ctx, null);
        });
    }

    private Task<T> WriteAsync<T>(Caller caller, Func<GrainContext<PatientSpaceState>, Task<T>> body) =>
        calls.CallAsync<T>(ctx =>
        {
            RequireOwner(ctx, caller);
            RequireWritable(ctx, caller);
            return body(ctx);
        });

    private PatientSpaceState RequireOwner(GrainContext<PatientSpaceState> ctx, Caller caller) => SpaceLifecycle.RequireOwner(ctx, caller, spaceId);

    private static void RequireWritable(GrainContext<PatientSpaceState> ctx, Caller caller)
    {
        switch (ctx.State?.Status)
        {
            // The patient learns their space is closed; a professional gets what an unknown
            // patient gets (docs/access.md: refusals look like absence).
            case SpaceStatus.Closed when caller.IsHolderSide:
                throw new DomainException(DomainError.SpaceClosed);
            case SpaceStatus.Active:
            case SpaceStatus.Created when caller.Kind == CallerKind.Professional:
                return;
            default:
                throw new DomainException(DomainError.NotFound);
        }
    }

    /// <summary>
    /// The patient uploads to an active space; professionals' software also feeds a space still
    /// waiting for activation (its documents are there when the person activates). An opposed
    /// or purged space looks like no space at all.
    /// </summary>
    private async Task<(PatientSpaceState State, ProfessionalInfo? Professional)> RequireUploaderAsync(GrainContext<PatientSpaceState> ctx, Caller caller, DateOnly? birthDate)
    {
        if (ctx.State is not { } state)
        {
            throw new DomainException(DomainError.NotFound);
        }

        ProfessionalInfo? professional = null;
        if (caller.IsHolderSide)
        {
            RequireOwner(ctx, caller);
        }
        else
        {
            // Checked again at commit without a second history entry: a revocation that lands
            // while the content streams in still stops the document.
            professional = caller.Kind == CallerKind.Professional ? await services.Gate.Professionals.FindAsync(ctx.Connection, ctx.Transaction, caller.Id) : null;
            var decision = AccessRules.Vouched(caller, professional)
                ? AccessRules.DecideUpload(state, professional, ctx.Now, services.Gate.Options)
                : AccessDecision.Deny(DenialReason.NotOfFacility);
            if (!decision.Allowed || (birthDate is { } declared && declared != state.BirthDate))
            {
                throw new DomainException(DomainError.NotFound);
            }
        }

        RequireWritable(ctx, caller);
        return (state, professional);
    }

    private async Task<DocumentRow?> LoadAsync(GrainContext<PatientSpaceState> ctx, Guid documentId) =>
        await ctx.Connection.QuerySingleOrDefaultAsync<DocumentRow>(
            $"select {DocumentRow.Columns} from documents where space_id = @spaceId and document_id = @documentId",
            new { spaceId = Id, documentId = documentId.ToString() }, ctx.Transaction);

    /// <summary>A document the patient may see: not held back, not removed from their view. Anything else is not found.</summary>
    private async Task<DocumentRow> VisibleAsync(GrainContext<PatientSpaceState> ctx, Guid documentId, Caller caller) =>
        await VisibleAsync(ctx, documentId, null, caller) ?? throw new DomainException(DomainError.NotFound);

    /// <summary>
    /// The document if the reader may see it: for the patient (<paramref name="rights"/> null),
    /// not held back and not removed from their view; for a professional, in a category their
    /// rights cover, and not masked unless they are the treating doctor.
    /// </summary>
    private async Task<DocumentRow?> VisibleAsync(GrainContext<PatientSpaceState> ctx, Guid documentId, AccessRights? rights, Caller caller) =>
        Visible(await LoadAsync(ctx, documentId), rights, caller, ctx.Now);

    private static DocumentRow? Visible(DocumentRow? row, AccessRights? rights, Caller caller, DateTimeOffset now)
    {
        if (row is null || row.Status == nameof(DocumentStatus.Deleted))
        {
            return null;
        }

        var visible = rights is null
            ? row.IsVisibleToPatient(now) && !HiddenFrom(caller, row)
            : rights.Categories.Contains(Enum.Parse<DocumentCategory>(row.Category)) && (row.Masked == 0 || rights.SeesMasked);
        return visible ? row : null;
    }

    /// <summary>INVISIBLE_REPRESENTANTS_LEGAUX: a minor's guardians never reach such a document, not even as "not yours".</summary>
    private static bool HiddenFrom(Caller caller, DocumentRow row) => caller.Kind == CallerKind.Guardian && row.HiddenFromGuardians != 0;

    /// <summary>A professional does not get the ids of other versions, which may be masked or outside their rights.</summary>
    private static DocumentInfo ForReader(DocumentInfo info, AccessRights? rights) =>
        rights is null ? info : info with { Replaces = null, SupersededBy = null };

    /// <summary>The document an upload's content becomes: its object's name (<see cref="PrepareUploadAsync"/>).</summary>
    private static Guid DocumentIdOf(string contentKey) =>
        Guid.TryParseExact(contentKey[(contentKey.IndexOf('/', StringComparison.Ordinal) + 1)..], "N", out var id)
            ? id
            : throw new DomainException(DomainError.InvalidRequest, "The content was not prepared for this space.");

    private static string UploaderOf(Caller caller) => $"{caller.Kind.ToString().ToLowerInvariant()}:{caller.Id}";

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
