using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MonEspaceSante.Access;
using MonEspaceSante.Errors;
using MonEspaceSante.Identity;
using MonEspaceSante.Pdf;
using MonEspaceSante.Professionals;
using MonEspaceSante.Runtime;
using MonEspaceSante.Storage;

namespace MonEspaceSante.HealthProfiles;

/// <summary>
/// A patient's health profile, an Orleans grain keyed by the patient space's id, its state one
/// bounded JSON row. Who may do what is the space's decision: every call first asks the space's
/// grain (<see cref="IPatientAccessGrain.OpenHealthProfileAsync"/>), which records and notifies a
/// professional's access in its own transaction; only then does this grain run its own call, so
/// it never holds a transaction open while waiting on another grain. Rules: docs/health-profile.md.
/// </summary>
public sealed class HealthProfileGrain(
    [PersistentState(HealthProfileGrain.GrainType, GrainStateStorage.ProviderName)] IPersistentState<HealthProfileState> state,
    GrainCalls calls)
    : TransactionalGrain<HealthProfileState>(state, calls), IHealthProfileGrain
{
    public const string GrainType = "health-profile";
    public const string EntryAddedKind = "health-profile.entry-added";

    private Guid SpaceId => this.GetPrimaryKey();

    private IPatientAccessGrain Space => GrainFactory.GetPatientAccess(SpaceId);

    private DateOnly Today => DateOnly.FromDateTime(Calls.Time.GetUtcNow().UtcDateTime);

    public async Task<HealthProfileView> GetAsync(Caller caller)
    {
        await Space.OpenHealthProfileAsync(caller, HealthProfileAction.Read);
        return HealthProfileViews.Of(SpaceId, Stored);
    }

    public async Task<HealthEntryResult<TItem>> AddAsync<TItem>(Caller caller, TItem item, string? idempotencyKey)
        where TItem : class, IHealthItem
    {
        ArgumentNullException.ThrowIfNull(caller);
        RefuseProfessionalsOn<TItem>(caller);
        if (idempotencyKey is { Length: 0 or > HealthProfileLimits.IdempotencyKeyLength })
        {
            throw new DomainException(DomainError.InvalidRequest, $"Idempotency-Key must be 1 to {HealthProfileLimits.IdempotencyKeyLength} characters.");
        }

        var normalized = HealthItemRules.Normalize(item, Today);
        var access = await Space.OpenHealthProfileAsync(caller, HealthProfileAction.Add);
        var author = AuthorKey(access.Author);
        var requestHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{HealthSections.NameOf<TItem>()}|{JsonSerializer.Serialize(normalized, Calls.Json)}")));
        return await CallAsync(async ctx =>
        {
            var profile = ctx.State ?? new HealthProfileState();
            var entries = HealthSections.Of<TItem>(profile);
            if (idempotencyKey is not null && profile.AddedKeys.Find(k => k.Author == author && k.Key == idempotencyKey) is { } earlier)
            {
                if (earlier.RequestHash != requestHash)
                {
                    throw new DomainException(DomainError.IdempotencyMismatch);
                }

                return new HealthEntryResult<TItem>(
                    entries.Find(e => e.Id == earlier.EntryId) ?? throw new DomainException(DomainError.NotFound, "The entry added under this idempotency key has been removed since."),
                    Replayed: true);
            }

            var max = HealthSections.MaxOf<TItem>();
            if (entries.Count >= max)
            {
                throw new DomainException(DomainError.SectionFull, $"The {HealthSections.NameOf<TItem>()} section holds at most {max} entries.");
            }

            var content = await NameFollowerAsync(ctx, normalized, entries, except: null);
            var entry = new HealthEntry<TItem>(Guid.NewGuid(), content, access.Author, ctx.Now, ctx.Now, 1);
            entries.Add(entry);
            if (idempotencyKey is not null)
            {
                profile.AddedKeys.Add(new AddedKey { Author = author, Key = idempotencyKey, RequestHash = requestHash, EntryId = entry.Id });
                if (profile.AddedKeys.Count > HealthProfileLimits.IdempotencyKeysKept)
                {
                    profile.AddedKeys.RemoveRange(0, profile.AddedKeys.Count - HealthProfileLimits.IdempotencyKeysKept);
                }
            }

            ctx.Write(profile, null, null);
            if (!access.Holder)
            {
                // The patient hears of what a professional wrote into their profile: who and where, not what.
                ctx.Notify(SpaceId.ToString(), EntryAddedKind, JsonSerializer.Serialize(new Dictionary<string, string>
                {
                    ["entryId"] = entry.Id.ToString(),
                    ["section"] = HealthSections.NameOf<TItem>(),
                    ["rpps"] = access.Author.Rpps ?? "",
                    ["name"] = access.Author.Name ?? "",
                    ["software"] = access.Author.Software ?? "",
                    ["emergency"] = access.Emergency ? "true" : "false",
                }, GrainJsonContext.Default.DictionaryStringString));
            }

            return new HealthEntryResult<TItem>(entry, Replayed: false);
        });
    }

    public async Task<HealthEntry<TItem>> UpdateAsync<TItem>(Caller caller, Guid entryId, TItem item, long? ifMatch)
        where TItem : class, IHealthItem
    {
        ArgumentNullException.ThrowIfNull(caller);
        RefuseProfessionalsOn<TItem>(caller);
        var normalized = HealthItemRules.Normalize(item, Today);
        var access = await Space.OpenHealthProfileAsync(caller, HealthProfileAction.Change);
        return await CallAsync(async ctx =>
        {
            var profile = ctx.State ?? throw new DomainException(DomainError.NotFound);
            var entries = HealthSections.Of<TItem>(profile);
            var index = entries.FindIndex(e => e.Id == entryId);
            if (index < 0)
            {
                throw new DomainException(DomainError.NotFound);
            }

            var current = entries[index];
            if (!SameAuthor(current.Author, access.Author))
            {
                throw new DomainException(DomainError.EntryReadOnly);
            }

            if (ifMatch is { } expected && expected != current.Version)
            {
                throw new DomainException(DomainError.VersionMismatch, $"The entry is at version {current.Version}.");
            }

            var content = await NameFollowerAsync(ctx, normalized, entries, except: entryId);
            var updated = current with { Item = content, UpdatedAt = ctx.Now, Version = current.Version + 1 };
            entries[index] = updated;
            ctx.Write(profile, null, null);
            return updated;
        });
    }

    public async Task DeleteAsync<TItem>(Caller caller, Guid entryId)
        where TItem : class, IHealthItem
    {
        ArgumentNullException.ThrowIfNull(caller);
        RefuseProfessionalsOn<TItem>(caller);
        var access = await Space.OpenHealthProfileAsync(caller, HealthProfileAction.Change);
        await CallAsync(ctx =>
        {
            var profile = ctx.State ?? throw new DomainException(DomainError.NotFound);
            // The patient may remove anything from their profile; a professional only what they wrote.
            var removed = HealthSections.Remove(HealthSections.Of<TItem>(profile), entryId, author => access.Holder || SameAuthor(author, access.Author));
            if (removed is null)
            {
                throw new DomainException(DomainError.NotFound);
            }

            if (removed == false)
            {
                throw new DomainException(DomainError.EntryReadOnly);
            }

            ctx.Write(profile, null, null);
            return Task.FromResult(true);
        });
    }

    public async Task<WishesView> SetWishesAsync(Caller caller, HealthWishes wishes, long? ifMatch)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.Kind is CallerKind.Professional or CallerKind.Client)
        {
            throw new DomainException(DomainError.Forbidden, "The patient's wishes are set by the patient only.");
        }

        var normalized = HealthItemRules.Normalize(wishes);
        await Space.OpenHealthProfileAsync(caller, HealthProfileAction.Change);
        return await CallAsync(ctx =>
        {
            var profile = ctx.State ?? new HealthProfileState();
            if (ifMatch is { } expected && expected != profile.WishesVersion)
            {
                throw new DomainException(DomainError.VersionMismatch, $"The wishes are at version {profile.WishesVersion}.");
            }

            profile.Wishes = normalized;
            profile.WishesUpdatedAt = ctx.Now;
            profile.WishesVersion++;
            ctx.Write(profile, null, null);
            return Task.FromResult(HealthProfileViews.Wishes(profile));
        });
    }

    public async Task<byte[]> RenderPdfAsync(Caller caller)
    {
        var access = await Space.OpenHealthProfileAsync(caller, HealthProfileAction.Download);
        var report = new HealthProfileReport(access.PatientName, access.BirthDate, Calls.Time.GetUtcNow(), HealthProfileViews.Of(SpaceId, Stored));
        return LetterRenderer.RenderHealthProfile(report);
    }

    public async Task PurgeAsync(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.Kind != CallerKind.System)
        {
            throw new DomainException(DomainError.NotFound);
        }

        await CallAsync(ctx =>
        {
            if (ctx.State is not null)
            {
                ctx.Delete();
            }

            return Task.FromResult(true);
        });
        DeactivateOnIdle();
    }

    /// <summary>Contacts and followers are the patient's own list; professionals add clinical entries only.</summary>
    private static void RefuseProfessionalsOn<TItem>(Caller caller)
        where TItem : class, IHealthItem
    {
        if (HealthSections.HolderOnly<TItem>() && caller.Kind is CallerKind.Professional or CallerKind.Client)
        {
            throw new DomainException(DomainError.Forbidden, $"The {HealthSections.NameOf<TItem>()} section is written by the patient only.");
        }
    }

    /// <summary>A follower is named from the professionals directory when it lists them; otherwise the name given is required.</summary>
    private static async Task<TItem> NameFollowerAsync<TItem>(GrainContext<HealthProfileState> ctx, TItem item, List<HealthEntry<TItem>> entries, Guid? except)
        where TItem : class, IHealthItem
    {
        if (item is not FollowerItem follower)
        {
            return item;
        }

        if (entries.Any(e => e.Id != except && e.Item is FollowerItem other && other.Rpps == follower.Rpps))
        {
            throw new DomainException(DomainError.InvalidRequest, "This professional is already among the professionals who follow you.");
        }

        var known = await ProfessionalLookup.FindAsync(ctx.Connection, ctx.Transaction, follower.Rpps!);
        if (known is not null)
        {
            return (TItem)(object)(follower with { Name = known.DisplayName, Profession = known.Profession });
        }

        return follower.Name is null
            ? throw new DomainException(DomainError.InvalidRequest, "This RPPS is not in the professionals directory: give the professional's name.")
            : item;
    }

    private static bool SameAuthor(HealthEntryAuthor entry, HealthEntryAuthor caller) =>
        entry.Kind == caller.Kind && (entry.Kind == HealthAuthorKind.Patient || entry.Rpps == caller.Rpps);

    /// <summary>Whose idempotency keys these are: the holder's, or one professional's (whatever software they use).</summary>
    private static string AuthorKey(HealthEntryAuthor author) =>
        author.Kind == HealthAuthorKind.Patient ? "patient" : $"professional:{author.Rpps}";
}
