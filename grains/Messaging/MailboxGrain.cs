using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using MonEspaceSante.Access;
using MonEspaceSante.Content;
using MonEspaceSante.Documents;
using MonEspaceSante.Errors;
using MonEspaceSante.Identity;
using MonEspaceSante.Notifications;
using MonEspaceSante.Professionals;
using MonEspaceSante.Runtime;
using MonEspaceSante.Spaces;
using MonEspaceSante.Storage;

namespace MonEspaceSante.Messaging;

/// <summary>
/// A patient's or a professional's mailbox, an Orleans grain keyed by its mailbox id. Every
/// method is a transactional call on the mailbox's state and its message rows; what a mailbox
/// needs of a patient's space (open or closed, the name, a block) it asks that space's grain,
/// always before the call's transaction opens: a grain never waits on another while its own
/// transaction is open (it would hold a connection, and its locks, for as long as the other
/// grain is busy; a space being purged waits on this very mailbox).
/// Attachment content is streamed outside the grain (<see cref="MailboxPost"/>). Rules: docs/messaging.md.
/// </summary>
public sealed class MailboxGrain : TransactionalGrain<MailboxState>, IMailboxGrain
{
    public const string GrainType = "mailbox";
    public const string ReceivedKind = "message.received";

    private readonly MailboxKind kind;
    private readonly string ownerId;
    private readonly MessagingServices services;
    private readonly IGrainFactory grains;

    public MailboxGrain([PersistentState(GrainType, GrainStateStorage.ProviderName)] IPersistentState<MailboxState> state, GrainCalls calls, MessagingServices services)
        : base(state, calls)
    {
        this.services = services;
        grains = GrainFactory;
        (kind, ownerId) = MailboxIds.Parse(this.GetPrimaryKeyString());
    }

    private string Id => MailboxId(kind, ownerId);

    public static string MailboxId(MailboxKind kind, string ownerId) => MailboxIds.Of(kind, ownerId);

    /// <summary>Whose feed hears of this mailbox's new messages: the space's (as every patient notification), or the professional's.</summary>
    public static string FeedOf(MailboxKind kind, string ownerId) => kind == MailboxKind.Patient ? ownerId : FeedRecipients.Professional(ownerId);

    public async Task<MailboxInfo> GetAsync(Caller caller)
    {
        var own = await OwnSpaceAsync(caller);
        return await CallAsync(async ctx =>
        {
            // The system may create a mailbox so that its address can be given out (a patient's,
            // to a professional who has access to them; a professional's, from the directory).
            if (caller.Kind != CallerKind.System)
            {
                await RequireOwnerAsync(ctx, caller, own, sending: false);
            }

            var state = await EnsureAsync(ctx, own);
            var unread = await ctx.Connection.ExecuteScalarAsync<long>(
                "select count(*) from messages where mailbox_id = @id and folder = 'Inbox' and archived = 0 and read_at_ms is null", new { id = Id }, ctx.Transaction);
            return new MailboxInfo(state.Address, state.Kind, state.DisplayName, unread);
        });
    }

    public async Task<SendPermit> PrepareSendAsync(Caller caller, OutgoingMessage message, IReadOnlyList<AttachmentDeclaration> attachments)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(attachments);
        var draft = Validate(message, attachments);
        var messageId = Guid.NewGuid();
        // Refused before any content is written; what is written is registered first, so a crash
        // mid-send leaves nothing the sweeper does not know of.
        var contentKeys = attachments.Select(_ => $"messages/{messageId:N}/{Guid.NewGuid():N}").ToList();
        var spaces = await SpacesForSendAsync(caller, draft, remembered: null);
        await CallAsync(async ctx =>
        {
            // The objects are registered in the round trip that finds the recipients; a refusal
            // below rolls the registration back with the rest.
            var (_, recipients) = await PlanAsync(ctx, caller, draft, spaces, register: contentKeys);
            var plans = ctx.Memory.Get<SendPlans>();
            ctx.OnCommitted(() => plans.Keep(messageId, recipients.Select(r => r.Found).ToList()));
            return true;
        });
        return new SendPermit(messageId, contentKeys);
    }

    public Task<SendResult> CommitSendAsync(Caller caller, OutgoingMessage message, Guid messageId, IReadOnlyList<SentAttachment> attachments)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(attachments);
        var draft = Validate(message, attachments.Select(a => new AttachmentDeclaration(a.FileName, a.Size)).ToList());
        // Only what was prepared for this message can be attached to it.
        if (attachments.Any(a => !a.ContentKey.StartsWith($"messages/{messageId:N}/", StringComparison.Ordinal)))
        {
            throw new DomainException(DomainError.InvalidRequest, "An attachment was not prepared for this message.");
        }

        var stored = attachments.Select((a, i) => new StoredAttachment { FileName = FileNameOf(a.FileName, i, a.Format), Format = a.Format, Size = a.Size, Sha256 = a.Sha256, ContentKey = a.ContentKey, WrappedKey = a.WrappedKey }).ToList();
        return CommitAsync(caller, draft, messageId, stored.Count == 0 ? null : JsonSerializer.Serialize(stored, GrainJsonContext.Default.ListStoredAttachment), stored.Select(a => a.ContentKey).ToList());
    }

    public Task<MessagePage> ListAsync(Caller caller, MessageFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.Offset < 0 || filter.Limit is < 1 or > 200 || !Enum.IsDefined(filter.Folder) || filter.Query is { Length: > 200 } || filter.Correspondent is { Length: > 320 })
        {
            throw new DomainException(DomainError.InvalidRequest, "offset must be >= 0, limit between 1 and 200, folder Inbox, Sent or Archive, query at most 200 characters.");
        }

        return ListOwnAsync(caller, filter);
    }

    private async Task<MessagePage> ListOwnAsync(Caller caller, MessageFilter filter)
    {
        var own = await OwnSpaceAsync(caller);
        return await CallAsync(async ctx =>
        {
            await RequireOwnerAsync(ctx, caller, own, sending: false);
            var where = new StringBuilder("mailbox_id = @id");
            var parameters = new DynamicParameters(new { id = Id, limit = filter.Limit, offset = filter.Offset });
            where.Append(filter.Folder switch
            {
                MailboxFolder.Inbox => " and folder = 'Inbox' and archived = 0",
                MailboxFolder.Sent => " and folder = 'Sent' and archived = 0",
                _ => " and archived = 1",
            });
            if (filter.Unread is { } unread)
            {
                where.Append(unread ? " and read_at_ms is null" : " and read_at_ms is not null");
            }

            if (SearchText.Normalize(filter.Query) is { Length: > 0 } query)
            {
                where.Append(" and search_text like @query");
                parameters.Add("query", $"%{query}%");
            }

            if (filter.Correspondent?.Trim().ToLowerInvariant() is { Length: > 0 } correspondent)
            {
                where.Append(" and (sender = @correspondent or (' ' || to_addresses || ' ' || copy_addresses || ' ') like @correspondentLike)");
                parameters.Add("correspondent", correspondent);
                parameters.Add("correspondentLike", $"% {correspondent.Replace("%", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal)} %");
            }

            var total = await ctx.Connection.ExecuteScalarAsync<long>($"select count(*) from messages where {where}", parameters, ctx.Transaction);
            var rows = await ctx.Connection.QueryAsync<MessageRow>(
                $"select {MessageRow.Columns} from messages where {where} order by sent_at_ms desc, message_id limit @limit offset @offset", parameters, ctx.Transaction);
            return new MessagePage(rows.Select(r => r.ToSummary()).ToList(), filter.Offset, filter.Limit, total);
        });
    }

    public async Task<MessageDetail> GetMessageAsync(Caller caller, Guid messageId)
    {
        var own = await OwnSpaceAsync(caller);
        return await CallAsync(async ctx =>
        {
            await RequireOwnerAsync(ctx, caller, own, sending: false);
            var row = await LoadAsync(ctx, messageId);
            if (row.ReadAtMs is null)
            {
                // Opening a message reads it.
                row.ReadAtMs = ctx.Now.ToUnixTimeMilliseconds();
                await ctx.Connection.ExecuteAsync("update messages set read_at_ms = @at where mailbox_id = @id and message_id = @messageId",
                    new { at = row.ReadAtMs, id = Id, messageId = row.MessageId }, ctx.Transaction);
            }

            return new MessageDetail(row.ToSummary(), row.Body, row.StoredAttachments().Select((a, i) => Info(a, i)).ToList());
        });
    }

    public Task<MessageSummary> SetReadAsync(Caller caller, Guid messageId, bool read) =>
        UpdateAsync(caller, messageId, "read_at_ms = @at", ctx => new { at = read ? ctx.Now.ToUnixTimeMilliseconds() : (long?)null });

    public Task<MessageSummary> SetArchivedAsync(Caller caller, Guid messageId, bool archived) =>
        UpdateAsync(caller, messageId, "archived = @archived", _ => new { archived = archived ? 1 : 0 });

    public async Task DeleteAsync(Caller caller, Guid messageId)
    {
        var own = await OwnSpaceAsync(caller);
        var released = await CallAsync(async ctx =>
        {
            await RequireOwnerAsync(ctx, caller, own, sending: false);
            var row = await LoadAsync(ctx, messageId);
            await ctx.Connection.ExecuteAsync("delete from messages where mailbox_id = @id and message_id = @messageId", new { id = Id, messageId = row.MessageId }, ctx.Transaction);
            var others = await ctx.Connection.ExecuteScalarAsync<long>("select count(*) from messages where message_id = @messageId", new { messageId = row.MessageId }, ctx.Transaction);
            if (others > 0)
            {
                return (IReadOnlyList<string>)[];
            }

            // The last copy: its attachments' content goes too (removed after commit).
            var keys = row.StoredAttachments().Select(a => a.ContentKey).ToList();
            foreach (var key in keys)
            {
                await ContentOrphans.AbandonAsync(ctx.Connection, ctx.Transaction, key, Id);
            }

            return keys;
        });

        foreach (var key in released)
        {
            await services.Orphans.DiscardAsync(key, CancellationToken.None);
        }
    }

    public async Task PurgeAsync(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.Kind != CallerKind.System)
        {
            throw new DomainException(DomainError.NotFound);
        }

        await CallAsync(async ctx =>
        {
            // Attachments of messages whose only copy is this mailbox's have no reader left.
            var rows = await ctx.Connection.QueryAsync<MessageRow>(
                $"select {MessageRow.Columns} from messages m where mailbox_id = @id and attachments is not null " +
                "and not exists (select 1 from messages o where o.message_id = m.message_id and o.mailbox_id <> @id)",
                new { id = Id }, ctx.Transaction);
            foreach (var key in rows.SelectMany(r => r.StoredAttachments()).Select(a => a.ContentKey))
            {
                await ContentOrphans.AbandonAsync(ctx.Connection, ctx.Transaction, key, Id);
            }

            await ctx.Connection.ExecuteAsync("delete from messages where mailbox_id = @id", new { id = Id }, ctx.Transaction);
            await ctx.Connection.ExecuteAsync("delete from message_contacts where mailbox_id = @id", new { id = Id }, ctx.Transaction);
            await ctx.Connection.ExecuteAsync("delete from mailboxes where mailbox_id = @id", new { id = Id }, ctx.Transaction);
            if (ctx.State is not null)
            {
                ctx.Delete();
            }

            return true;
        });
        DeactivateOnIdle();
    }

    public async Task<StoredAttachmentRef> LocateAttachmentAsync(Caller caller, Guid messageId, int index) =>
        (await LocateWithMessageAsync(caller, messageId, index)).Stored;

    public async Task<AttachmentToSave> PrepareSaveAttachmentAsync(Caller caller, Guid messageId, int index, SaveAttachmentRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (kind != MailboxKind.Patient)
        {
            throw new DomainException(DomainError.NotFound);
        }

        var (stored, summary) = await LocateWithMessageAsync(caller, messageId, index);
        var declaration = new DocumentDeclaration
        {
            Category = request.Category ?? DocumentCategory.Other,
            Title = string.IsNullOrWhiteSpace(request.Title) ? Path.GetFileNameWithoutExtension(stored.Attachment.FileName) : request.Title,
            ClinicalDate = DateOnly.FromDateTime(summary.SentAt.UtcDateTime),
            FileName = stored.Attachment.FileName,
            SourceSoftware = Truncate($"Messagerie : {summary.FromName} <{summary.From}>", 200),
        };
        return new AttachmentToSave(stored, Guid.Parse(ownerId), declaration);
    }

    /// <summary>The owner's attachment and its message; any other index or message is not found.</summary>
    private async Task<(StoredAttachmentRef Stored, MessageSummary Summary)> LocateWithMessageAsync(Caller caller, Guid messageId, int index)
    {
        var own = await OwnSpaceAsync(caller);
        return await CallAsync(async ctx =>
        {
            await RequireOwnerAsync(ctx, caller, own, sending: false);
            var row = await LoadAsync(ctx, messageId);
            var attachments = row.StoredAttachments();
            if (index < 0 || index >= attachments.Count)
            {
                throw new DomainException(DomainError.NotFound);
            }

            var attachment = attachments[index];
            return (new StoredAttachmentRef(messageId, Info(attachment, index), attachment.ContentKey, attachment.WrappedKey), row.ToSummary());
        });
    }

    private sealed record Recipient(FoundMailbox Found, MailboxKind Kind, string OwnerId, bool Copy)
    {
        public string Address => Found.Address;

        public string MailboxId => Found.MailboxId;

        public string DisplayName => Found.DisplayName;
    }

    internal sealed record Draft(IReadOnlyList<string> To, string? CopyPatient, string Subject, string Body, Guid? InReplyTo);

    internal Draft Validate(OutgoingMessage message, IReadOnlyList<AttachmentDeclaration> attachments)
    {
        var options = services.Options;
        var subject = message.Subject?.Trim();
        if (string.IsNullOrEmpty(subject) || subject.Length > options.MaxSubjectLength || subject.Any(char.IsControl))
        {
            throw new DomainException(DomainError.InvalidRequest, $"subject is required, at most {options.MaxSubjectLength} characters, on one line.");
        }

        if (message.Body is null || message.Body.Length > options.MaxBodyLength || message.Body.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            throw new DomainException(message.Body is { } body && body.Length > options.MaxBodyLength ? DomainError.ContentTooLarge : DomainError.InvalidRequest,
                $"body is required (text, at most {options.MaxBodyLength} characters).");
        }

        var to = (message.To ?? []).Select(Normalize).ToList();
        var copy = message.CopyPatient is null ? null : Normalize(message.CopyPatient);
        var all = copy is null ? to : [.. to, copy];
        if (to.Count == 0 || all.Count > options.MaxRecipients || all.Distinct(StringComparer.Ordinal).Count() != all.Count)
        {
            throw new DomainException(DomainError.InvalidRequest, $"to needs 1 to {options.MaxRecipients} distinct addresses.");
        }

        if (attachments.Count > options.MaxAttachments)
        {
            throw new DomainException(DomainError.InvalidRequest, $"At most {options.MaxAttachments} attachments.");
        }

        foreach (var attachment in attachments)
        {
            if (attachment.DeclaredLength > options.MaxAttachmentSize)
            {
                throw new DomainException(DomainError.ContentTooLarge, $"An attachment may be at most {options.MaxAttachmentSize} bytes.");
            }

            if (attachment.FileName is { Length: > 1024 })
            {
                throw new DomainException(DomainError.InvalidRequest, "An attachment's file name is at most 1024 characters (kept as a safe base name of at most 255).");
            }
        }

        foreach (var address in all)
        {
            var at = address.LastIndexOf('@');
            if (at <= 0 || at == address.Length - 1 || address.Length > 320 || address.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                throw new DomainException(DomainError.InvalidRequest, $"'{address}' is not an address.");
            }

            if (!options.IsPlatformDomain(address[(at + 1)..]))
            {
                // Nothing is forwarded outside the platform.
                throw new DomainException(DomainError.RecipientOutsidePlatform, $"'{address}' is outside the platform; messages cannot leave it.");
            }
        }

        return new Draft(to, copy, subject, message.Body, message.InReplyTo);

        static string Normalize(string? address) => (address ?? "").Trim().ToLowerInvariant();
    }

    /// <summary>
    /// Checks the sender and every recipient against the rules; returns who receives a copy.
    /// <paramref name="register"/>: content keys to register as pending in the same round trip.
    /// <paramref name="spaces"/>: what the spaces said, asked before the transaction opened, and
    /// for a message prepared on this activation the recipients' mailboxes found then (a
    /// mailbox's id, kind and name never change; whether a patient recipient's space is open
    /// was asked again).
    /// </summary>
    private async Task<(MailboxState Sender, IReadOnlyList<Recipient> Recipients)> PlanAsync(GrainContext<MailboxState> ctx, Caller caller, Draft draft, SendSpaces spaces, IReadOnlyList<string>? register = null)
    {
        await RequireOwnerAsync(ctx, caller, spaces.Own, sending: true);
        var sender = await EnsureAsync(ctx, spaces.Own);
        var addresses = Addresses(draft);
        var found = spaces.Remembered
            ?? (await FindMailboxesAsync(ctx, addresses, register ?? [])).ToDictionary(m => m.Address, StringComparer.Ordinal);

        var recipients = new List<Recipient>();
        foreach (var address in addresses)
        {
            if (!found.TryGetValue(address, out var mailbox))
            {
                throw new DomainException(DomainError.UnknownRecipient, $"No platform mailbox has the address '{address}'.");
            }

            var recipientKind = Enum.Parse<MailboxKind>(mailbox.Kind);
            var isCopy = address == draft.CopyPatient;
            if (mailbox.MailboxId == Id)
            {
                throw new DomainException(DomainError.InvalidRequest, "A mailbox does not write to itself.");
            }

            if (isCopy && recipientKind != MailboxKind.Patient)
            {
                throw new DomainException(DomainError.InvalidRequest, "copyPatient must be a patient's address.");
            }

            var owner = mailbox.MailboxId[(mailbox.MailboxId.IndexOf(':', StringComparison.Ordinal) + 1)..];
            recipients.Add(new Recipient(mailbox, recipientKind, owner, isCopy));
        }

        if (kind == MailboxKind.Patient)
        {
            if (draft.CopyPatient is not null)
            {
                throw new DomainException(DomainError.InvalidRequest, "Only professionals copy a patient.");
            }

            foreach (var recipient in recipients)
            {
                // A patient answers; they do not open conversations (docs/messaging.md).
                var contact = recipient.Kind == MailboxKind.Professional && await ctx.Connection.ExecuteScalarAsync<long>(
                    "select count(*) from message_contacts where mailbox_id = @id and correspondent = @correspondent",
                    new { id = Id, correspondent = recipient.MailboxId }, ctx.Transaction) > 0;
                if (!contact)
                {
                    throw new DomainException(DomainError.ConversationRequired, $"'{recipient.Address}' has not written to you.");
                }
            }
        }
        else
        {
            foreach (var recipient in recipients.Where(r => r.Kind == MailboxKind.Patient))
            {
                // Asked of the space before this transaction opened. A space that closes between
                // that answer and the commit gets the message in its mailbox, as it would a moment
                // earlier: its owner still reads it in the closed space's archive, and it goes with
                // the mailbox when the space is purged. A mailbox opened in that moment was not
                // there when the spaces were asked: unknown, as it was then.
                if (!spaces.Recipients.TryGetValue(recipient.OwnerId, out var space))
                {
                    throw new DomainException(DomainError.UnknownRecipient, $"No platform mailbox has the address '{recipient.Address}'.");
                }

                if (space is { Status: SpaceStatus.Closed })
                {
                    throw new DomainException(DomainError.RecipientClosed, $"'{recipient.Address}' is closed and receives nothing.");
                }

                if (space is not { Status: SpaceStatus.Active })
                {
                    throw new DomainException(DomainError.UnknownRecipient, $"No platform mailbox has the address '{recipient.Address}'.");
                }

                if (space.SenderBlocked)
                {
                    throw new DomainException(DomainError.RecipientRefuses, $"'{recipient.Address}' does not accept your messages.");
                }
            }
        }

        return (sender, recipients);
    }

    private const string FindMailboxes = "select mailbox_id as MailboxId, address as Address, kind as Kind, display_name as DisplayName from mailboxes where ";

    private async Task<IEnumerable<FoundMailbox>> FindMailboxesAsync(GrainContext<MailboxState> ctx, IReadOnlyList<string> addresses, IReadOnlyList<string> register)
    {
        if (services.Provider == DatabaseProvider.Postgres)
        {
            // A data-modifying WITH runs whether or not the query reads it. One address and one
            // key (the usual send) are passed as scalars: with arrays PostgreSQL's generic plan
            // looks dearer than a custom one for one element, and the statement was planned
            // again on every send (as long as it took to run).
            var registered = register.Count switch
            {
                0 => "",
                1 => "with registered as (insert into content_orphans (content_key, space_id, since_ms) values (@key, @id, @now)) ",
                _ => "with registered as (insert into content_orphans (content_key, space_id, since_ms) select k, @id, @now from unnest(@keys::text[]) as k) ",
            };
            return await ctx.Connection.QueryAsync<FoundMailbox>(
                registered + FindMailboxes + (addresses.Count == 1 ? "address = @address" : "address = any(@addresses)"),
                new { address = addresses[0], addresses = addresses.ToArray(), key = register.Count > 0 ? register[0] : null, keys = register.ToArray(), id = Id, now = ctx.Now.ToUnixTimeMilliseconds() }, ctx.Transaction);
        }

        foreach (var key in register)
        {
            await ContentOrphans.RegisterAsync(ctx.Connection, ctx.Transaction, key, Id, ctx.Now);
        }

        return await ctx.Connection.QueryAsync<FoundMailbox>(
            FindMailboxes + "address in @addresses",
            new { addresses = addresses.ToArray() }, ctx.Transaction);
    }

    private async Task<SendResult> CommitAsync(Caller caller, Draft draft, Guid messageId, string? attachments, List<string> contentKeys)
    {
        var remembered = contentKeys.Count == 0 ? null : Memory.Get<SendPlans>().Take(messageId, Addresses(draft));
        var spaces = await SpacesForSendAsync(caller, draft, remembered);
        return await CallAsync(async ctx =>
        {
            var (sender, recipients) = await PlanAsync(ctx, caller, draft, spaces);
            var limit = kind == MailboxKind.Patient ? services.Options.PatientPerHour : services.Options.ProfessionalPerHour;
            var conversationId = Guid.NewGuid();
            if (draft.InReplyTo is { } replied)
            {
                conversationId = Guid.Parse((await LoadAsync(ctx, replied)).ConversationId);
            }

            var to = string.Join(' ', recipients.Where(r => !r.Copy).Select(r => r.Address));
            var copy = string.Join(' ', recipients.Where(r => r.Copy).Select(r => r.Address));
            var search = SearchText.Normalize($"{draft.Subject} {sender.DisplayName} {sender.Address} {string.Join(' ', recipients.Select(r => $"{r.DisplayName} {r.Address}"))}");
            var row = new MessageRow
            {
                MessageId = messageId.ToString(),
                ConversationId = conversationId.ToString(),
                Sender = sender.Address,
                SenderName = sender.DisplayName,
                ToAddresses = to,
                CopyAddresses = copy,
                Subject = draft.Subject,
                Body = draft.Body,
                Attachments = attachments,
                SearchText = search,
                SentAtMs = ctx.Now.ToUnixTimeMilliseconds(),
            };
            var copies = new List<MessageRow> { Copy(row, Id, "Sent", read: true) };
            copies.AddRange(recipients.Select(r => Copy(row, r.MailboxId, "Inbox", read: false)));
            var hour = ctx.Now.ToUnixTimeSeconds() / 3600;
            void CheckLimit(long sent)
            {
                if (sent > limit)
                {
                    throw new DomainException(DomainError.TooManyMessages, $"At most {limit} messages an hour.", HourlyLimit.UntilNextHour(ctx.Now));
                }
            }

            if (services.Provider == DatabaseProvider.Postgres)
            {
                // One statement instead of one per copy, per attachment and for the counter, sent
                // with the recipient's notification at commit: a send over the limit is refused
                // there, and the whole transaction is rolled back.
                ctx.WriteAtCommit(new CommitWrite(MessageRow.PostgresSend, new
                {
                    rateSender = Id,
                    hour,
                    mailboxIds = copies.Select(c => c.MailboxId).ToArray(),
                    folders = copies.Select(c => c.Folder).ToArray(),
                    readAts = copies.Select(c => c.ReadAtMs).ToArray(),
                    row.MessageId,
                    row.ConversationId,
                    row.Sender,
                    row.SenderName,
                    row.ToAddresses,
                    row.CopyAddresses,
                    row.Subject,
                    row.Body,
                    row.Attachments,
                    row.SearchText,
                    row.SentAtMs,
                    contentKeys = contentKeys.ToArray(),
                }) { Check = CheckLimit });
            }
            else
            {
                CheckLimit(await ctx.Connection.ExecuteScalarAsync<long>(
                    "insert into message_rate (sender, hour, sent) values (@sender, @hour, 1) on conflict (sender, hour) do update set sent = message_rate.sent + 1 returning sent",
                    new { sender = Id, hour }, ctx.Transaction));
                await ctx.Connection.ExecuteAsync(MessageRow.Insert, copies, ctx.Transaction);
                foreach (var key in contentKeys)
                {
                    await ContentOrphans.AdoptAsync(ctx.Connection, ctx.Transaction, key);
                }
            }

            foreach (var recipient in recipients)
            {
                if (kind == MailboxKind.Professional && recipient.Kind == MailboxKind.Patient)
                {
                    // Nothing below reads it: made with the commit, in the notification's round trip.
                    ctx.WriteAtCommit(new CommitWrite(
                        "insert into message_contacts (mailbox_id, correspondent, since_ms) values (@contactOf, @correspondent, @since) on conflict do nothing",
                        new { contactOf = recipient.MailboxId, correspondent = Id, since = row.SentAtMs }));
                }

                // "A new message from X": never the subject or the text, which may be health content.
                ctx.Notify(FeedOf(recipient.Kind, recipient.OwnerId), ReceivedKind, JsonSerializer.Serialize(new Dictionary<string, string>
                {
                    ["messageId"] = row.MessageId,
                    ["from"] = sender.DisplayName,
                    ["fromAddress"] = sender.Address,
                }, GrainJsonContext.Default.DictionaryStringString));
            }

            return new SendResult(messageId, conversationId, ctx.Now, recipients.Select(r => r.Address).ToList());
        });
    }

    private static MessageRow Copy(MessageRow row, string mailboxId, string folder, bool read) => new()
    {
        MailboxId = mailboxId,
        MessageId = row.MessageId,
        ConversationId = row.ConversationId,
        Folder = folder,
        Sender = row.Sender,
        SenderName = row.SenderName,
        ToAddresses = row.ToAddresses,
        CopyAddresses = row.CopyAddresses,
        Subject = row.Subject,
        Body = row.Body,
        Attachments = row.Attachments,
        SearchText = row.SearchText,
        SentAtMs = row.SentAtMs,
        ReadAtMs = read ? row.SentAtMs : null,
    };

    private async Task<MessageSummary> UpdateAsync(Caller caller, Guid messageId, string set, Func<GrainContext<MailboxState>, object> values)
    {
        var own = await OwnSpaceAsync(caller);
        return await CallAsync(async ctx =>
        {
            await RequireOwnerAsync(ctx, caller, own, sending: false);
            var row = await LoadAsync(ctx, messageId);
            var parameters = new DynamicParameters(values(ctx));
            parameters.Add("id", Id);
            parameters.Add("messageId", row.MessageId);
            await ctx.Connection.ExecuteAsync($"update messages set {set} where mailbox_id = @id and message_id = @messageId", parameters, ctx.Transaction);
            return (await LoadAsync(ctx, messageId)).ToSummary();
        });
    }

    /// <summary>
    /// Only the owner reaches a mailbox: the patient of the space (active, or closed for reading
    /// their archive; sending needs an active space), or the professional (own token or their
    /// software). Anyone else: not found.
    /// </summary>
    private async Task RequireOwnerAsync(GrainContext<MailboxState> ctx, Caller caller, MessagingView? own, bool sending)
    {
        if (kind == MailboxKind.Patient && caller.Kind == CallerKind.Guardian)
        {
            // A child's messages are theirs: guardians manage documents, access and the profile, not the mailbox.
            throw new DomainException(DomainError.HolderOnly);
        }

        var expected = kind == MailboxKind.Patient ? CallerKind.Patient : CallerKind.Professional;
        if (caller.Kind != expected || caller.Id != ownerId)
        {
            throw new DomainException(DomainError.NotFound);
        }

        if (caller.Via is not null && !AccessRules.Vouched(caller, await services.Professionals.FindAsync(ctx.Connection, ctx.Transaction, ownerId)))
        {
            // Software reaches the mailbox of its own facility's professionals only.
            throw new DomainException(DomainError.NotFound);
        }

        if (kind == MailboxKind.Patient)
        {
            var space = own ?? throw new InvalidOperationException("The owner's space is asked before the call.");
            switch (space.Status)
            {
                case SpaceStatus.Active:
                    return;
                case SpaceStatus.Closed when !sending:
                    return;
                case SpaceStatus.Closed:
                    throw new DomainException(DomainError.SpaceClosed);
                default:
                    throw new DomainException(DomainError.NotFound);
            }
        }
    }

    /// <summary>The mailbox's state, created with its address on first use.</summary>
    private async Task<MailboxState> EnsureAsync(GrainContext<MailboxState> ctx, MessagingView? own)
    {
        if (ctx.State is { } existing)
        {
            return existing;
        }

        string address;
        string name;
        if (kind == MailboxKind.Patient)
        {
            var space = own ?? throw new InvalidOperationException("The owner's space is asked before the call.");
            if (space is not { Status: SpaceStatus.Active })
            {
                throw new DomainException(space is { Status: SpaceStatus.Closed } ? DomainError.RecipientClosed : DomainError.NotFound);
            }

            // An opaque number, never the NIR; a collision is a unique violation, retried with another.
            address = $"{RandomNumberGenerator.GetInt32(100_000, 1_000_000)}{RandomNumberGenerator.GetInt32(0, 1_000_000):D6}@{services.Options.PatientDomain}";
            name = space.DisplayName;
        }
        else
        {
            var professional = await services.Professionals.FindAsync(ctx.Connection, ctx.Transaction, ownerId)
                ?? throw new DomainException(DomainError.NotFound, "No professional with this RPPS in the directory.");
            address = await ProfessionalAddressAsync(ctx, professional);
            name = professional.DisplayName;
        }

        var state = new MailboxState { Address = address, Kind = kind, OwnerId = ownerId, DisplayName = name, CreatedAt = ctx.Now };
        await ctx.Connection.ExecuteAsync(
            "insert into mailboxes (mailbox_id, address, kind, display_name, created_at_ms) values (@id, @address, @kind, @name, @now)",
            new { id = Id, address, kind = kind.ToString(), name, now = ctx.Now.ToUnixTimeMilliseconds() }, ctx.Transaction);
        ctx.Write(state, null, null);
        return state;
    }

    /// <summary><c>first.last@domain</c>; homonyms get <c>first.last2</c>, <c>first.last3</c>, …</summary>
    private async Task<string> ProfessionalAddressAsync(GrainContext<MailboxState> ctx, ProfessionalInfo professional)
    {
        static string Part(string value) => SearchText.Normalize(value).ToLowerInvariant().Replace(' ', '-');
        var local = string.Join('.', new[] { Part(professional.FirstName), Part(professional.LastName) }.Where(p => p.Length > 0));
        var domain = services.Options.DomainOf(professional.ProfessionCode);
        var taken = (await ctx.Connection.QueryAsync<string>(
            "select address from mailboxes where address like @pattern", new { pattern = $"{local}%@{domain}" }, ctx.Transaction)).ToHashSet(StringComparer.Ordinal);
        var candidate = $"{local}@{domain}";
        for (var n = 2; taken.Contains(candidate); n++)
        {
            candidate = $"{local}{n}@{domain}";
        }

        return candidate;
    }

    /// <summary>
    /// The patient's space as messaging sees it, from the space's own grain. Only ever awaited
    /// before a call's transaction opens; the space answers it even while busy with another call
    /// (<see cref="IPatientAccessGrain.GetMessagingViewAsync"/> interleaves), so a space purging
    /// this mailbox and this mailbox asking that space do not wait on each other.
    /// </summary>
    private Task<MessagingView> SpaceAsync(string spaceId, string? senderRpps = null) =>
        grains.GetGrain<IPatientAccessGrain>(Guid.Parse(spaceId)).GetMessagingViewAsync(Caller.System, senderRpps);

    /// <summary>
    /// The owner's space, when the call needs it: for the owner (every call of theirs checks it is
    /// open) and to create the mailbox. Null for a professional's mailbox and for anyone else, who
    /// is refused without it. The activation runs one call at a time, so whether the mailbox
    /// exists cannot change between this and the call.
    /// </summary>
    private async Task<MessagingView?> OwnSpaceAsync(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return kind == MailboxKind.Patient && ((caller.Kind == CallerKind.Patient && caller.Id == ownerId) || Stored is null)
            ? await SpaceAsync(ownerId)
            : null;
    }

    /// <summary>What a send needs of patients' spaces: the sender's own, and each patient recipient's (by space id).</summary>
    private sealed record SendSpaces(MessagingView? Own, IReadOnlyDictionary<string, MessagingView> Recipients, Dictionary<string, FoundMailbox>? Remembered);

    private static IReadOnlyList<string> Addresses(Draft draft) => draft.CopyPatient is null ? draft.To : [.. draft.To, draft.CopyPatient];

    /// <summary>
    /// Asks the spaces a send depends on, before its transaction: a professional's patient
    /// recipients (whether they are open, whether they block this sender). Their mailboxes are
    /// the prepared ones or, for addresses in the patients' domain, read here on a connection of
    /// their own (no transaction: a mailbox's id never changes once created).
    /// </summary>
    private async Task<SendSpaces> SpacesForSendAsync(Caller caller, Draft draft, Dictionary<string, FoundMailbox>? remembered)
    {
        var own = await OwnSpaceAsync(caller);
        if (kind != MailboxKind.Professional)
        {
            return new SendSpaces(own, new Dictionary<string, MessagingView>(), remembered);
        }

        IEnumerable<FoundMailbox> patients;
        if (remembered is not null)
        {
            patients = remembered.Values.Where(m => m.Kind == nameof(MailboxKind.Patient));
        }
        else
        {
            var suffix = $"@{services.Options.PatientDomain}";
            var addresses = Addresses(draft).Where(a => a.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)).ToArray();
            if (addresses.Length == 0)
            {
                return new SendSpaces(own, new Dictionary<string, MessagingView>(), null);
            }

            await using var connection = await Calls.Database.OpenAsync();
            patients = (await connection.QueryAsync<FoundMailbox>(FindMailboxes + (services.Provider == DatabaseProvider.Postgres ? "address = any(@addresses)" : "address in @addresses"), new { addresses })).Where(m => m.Kind == nameof(MailboxKind.Patient)).ToList();
        }

        var spaces = new Dictionary<string, MessagingView>(StringComparer.Ordinal);
        foreach (var mailbox in patients)
        {
            var space = MailboxIds.Parse(mailbox.MailboxId).OwnerId;
            spaces[space] = await SpaceAsync(space, senderRpps: ownerId);
        }

        return new SendSpaces(own, spaces, remembered);
    }

    private async Task<MessageRow> LoadAsync(GrainContext<MailboxState> ctx, Guid messageId) =>
        await ctx.Connection.QuerySingleOrDefaultAsync<MessageRow>(
            $"select {MessageRow.Columns} from messages where mailbox_id = @id and message_id = @messageId",
            new { id = Id, messageId = messageId.ToString() }, ctx.Transaction)
        ?? throw new DomainException(DomainError.NotFound);

    private static AttachmentInfo Info(StoredAttachment attachment, int index) =>
        new(index, FileNameOf(attachment.FileName, index, attachment.Format), attachment.Format, ContentTypes.Of(attachment.Format), attachment.Size, attachment.Sha256);

    /// <summary>The name an attachment is kept under: as sent, made safe (<see cref="FileNames"/>), or a numbered one.</summary>
    internal static string FileNameOf(string? fileName, int index, DocumentFormat format) =>
        FileNames.Safe(fileName) ?? $"piece-jointe-{index + 1}{ContentTypes.Extension(format)}";

    /// <summary>Whose key a message's attachments are wrapped for.</summary>
    internal static string KeyOwner(Guid messageId) => $"message:{messageId}";

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
