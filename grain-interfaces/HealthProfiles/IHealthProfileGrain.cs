using MonEspaceSante.Identity;

namespace MonEspaceSante.HealthProfiles;

/// <summary>
/// A patient's health profile ("profil médical"), keyed by the patient space's id: medical
/// history, current treatments, allergies, family history, vaccinations, measurements, wishes,
/// people to contact and the professionals who follow the patient. Not the identity a
/// professional reads (<see cref="Access.IPatientAccessGrain.GetProfileAsync"/>).
/// Who may do what is decided by the patient space (<see cref="Access.IPatientAccessGrain.OpenHealthProfileAsync"/>)
/// before this grain serves anyone. Rules: docs/health-profile.md.
/// </summary>
[Alias("mes.IHealthProfileGrain")]
public interface IHealthProfileGrain : IGrainWithGuidKey
{
    Task<HealthProfileView> GetAsync(Caller caller);

    /// <summary>Adds an entry to the section of <typeparamref name="TItem"/>; a retried request with the same <paramref name="idempotencyKey"/> adds nothing.</summary>
    Task<HealthEntryResult<TItem>> AddAsync<TItem>(Caller caller, TItem item, string? idempotencyKey)
        where TItem : class, IHealthItem;

    /// <summary>Replaces an entry's content; only its author may. <paramref name="ifMatch"/>, when given, must be the entry's current version.</summary>
    Task<HealthEntry<TItem>> UpdateAsync<TItem>(Caller caller, Guid entryId, TItem item, long? ifMatch)
        where TItem : class, IHealthItem;

    /// <summary>Removes an entry of the section of <typeparamref name="TItem"/>: the patient may remove any, a professional only their own.</summary>
    Task DeleteAsync<TItem>(Caller caller, Guid entryId)
        where TItem : class, IHealthItem;

    /// <summary>The patient's wishes (organ donation, advance directives); the patient only.</summary>
    Task<WishesView> SetWishesAsync(Caller caller, HealthWishes wishes, long? ifMatch);

    /// <summary>A PDF synthesis of the whole profile (text, several pages when long).</summary>
    Task<byte[]> RenderPdfAsync(Caller caller);

    /// <summary>For the space's purge only (<see cref="CallerKind.System"/>): forgets the profile.</summary>
    Task PurgeAsync(Caller caller);
}
