using Orleans;

namespace MonEspaceSante.HealthProfiles;

/// <summary>An entry's content: one of the health profile's section items.</summary>
public interface IHealthItem;

[GenerateSerializer]
[Alias("mes.HealthAuthorKind")]
public enum HealthAuthorKind
{
    /// <summary>The space's holder (the patient, or whoever acts as the holder of the space).</summary>
    Patient,
    Professional,
}

/// <summary>Who wrote an entry: the patient, or a professional (name, profession, and the software they used, if any).</summary>
[GenerateSerializer]
[Alias("mes.HealthEntryAuthor")]
public sealed record HealthEntryAuthor(
    [property: Id(0)] HealthAuthorKind Kind,
    [property: Id(1)] string? Rpps,
    [property: Id(2)] string? Name,
    [property: Id(3)] string? Profession,
    [property: Id(4)] string? Software)
{
    public static readonly HealthEntryAuthor Patient = new(HealthAuthorKind.Patient, null, null, null, null);
}

/// <summary>One entry of a section: a server-generated id, its content, who wrote it, when, and a version for <c>If-Match</c>.</summary>
[GenerateSerializer]
[Alias("mes.HealthEntry`1")]
public sealed record HealthEntry<TItem>(
    [property: Id(0)] Guid Id,
    [property: Id(1)] TItem Item,
    [property: Id(2)] HealthEntryAuthor Author,
    [property: Id(3)] DateTimeOffset AddedAt,
    [property: Id(4)] DateTimeOffset UpdatedAt,
    [property: Id(5)] long Version)
    where TItem : class, IHealthItem;

/// <summary>An added entry, and whether it was added before under the same idempotency key (nothing added this time).</summary>
[GenerateSerializer]
[Alias("mes.HealthEntryResult`1")]
public sealed record HealthEntryResult<TItem>([property: Id(0)] HealthEntry<TItem> Entry, [property: Id(1)] bool Replayed)
    where TItem : class, IHealthItem;

[GenerateSerializer]
[Alias("mes.OrganDonationChoice")]
public enum OrganDonationChoice
{
    /// <summary>Nothing said: French law presumes consent unless a refusal is registered.</summary>
    NotStated,
    Accepts,
    Refuses,
}

/// <summary>The patient's wishes: organ donation, advance directives (the text, or where the written ones are kept).</summary>
[GenerateSerializer]
[Alias("mes.HealthWishes")]
public sealed record HealthWishes(
    [property: Id(0)] OrganDonationChoice? OrganDonation,
    [property: Id(1)] string? AdvanceDirectives,
    [property: Id(2)] string? AdvanceDirectivesReference);

[GenerateSerializer]
[Alias("mes.WishesView")]
public sealed record WishesView([property: Id(0)] HealthWishes Wishes, [property: Id(1)] DateTimeOffset? UpdatedAt, [property: Id(2)] long Version);

/// <summary>The whole health profile, each section newest first (measurements by date).</summary>
[GenerateSerializer]
[Alias("mes.HealthProfileView")]
public sealed record HealthProfileView(
    [property: Id(0)] Guid PatientId,
    [property: Id(1)] IReadOnlyList<HealthEntry<MedicalHistoryItem>> History,
    [property: Id(2)] IReadOnlyList<HealthEntry<TreatmentItem>> Treatments,
    [property: Id(3)] IReadOnlyList<HealthEntry<AllergyItem>> Allergies,
    [property: Id(4)] IReadOnlyList<HealthEntry<FamilyHistoryItem>> FamilyHistory,
    [property: Id(5)] IReadOnlyList<HealthEntry<VaccinationItem>> Vaccinations,
    [property: Id(6)] IReadOnlyList<HealthEntry<MeasurementItem>> Measurements,
    [property: Id(7)] WishesView Wishes,
    [property: Id(8)] IReadOnlyList<HealthEntry<ContactItem>> Contacts,
    [property: Id(9)] IReadOnlyList<HealthEntry<FollowerItem>> Followers);
