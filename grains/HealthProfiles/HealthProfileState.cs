namespace MonEspaceSante.HealthProfiles;

/// <summary>
/// A health profile's persisted state: one JSON row in the grains table, bounded by
/// <see cref="HealthProfileLimits"/> (entries per section, text lengths), so every write stays small.
/// </summary>
public sealed class HealthProfileState
{
    public List<HealthEntry<MedicalHistoryItem>> History { get; set; } = [];
    public List<HealthEntry<TreatmentItem>> Treatments { get; set; } = [];
    public List<HealthEntry<AllergyItem>> Allergies { get; set; } = [];
    public List<HealthEntry<FamilyHistoryItem>> FamilyHistory { get; set; } = [];
    public List<HealthEntry<VaccinationItem>> Vaccinations { get; set; } = [];
    public List<HealthEntry<MeasurementItem>> Measurements { get; set; } = [];
    public List<HealthEntry<ContactItem>> Contacts { get; set; } = [];
    public List<HealthEntry<FollowerItem>> Followers { get; set; } = [];

    public HealthWishes? Wishes { get; set; }
    public DateTimeOffset? WishesUpdatedAt { get; set; }
    public long WishesVersion { get; set; }

    /// <summary>The last idempotency keys of adds (at most <see cref="HealthProfileLimits.IdempotencyKeysKept"/>), oldest first.</summary>
    public List<AddedKey> AddedKeys { get; set; } = [];
}

/// <summary>An add made under an idempotency key: by whom, what was asked (hash), which entry it made.</summary>
public sealed class AddedKey
{
    public string Author { get; set; } = "";
    public string Key { get; set; } = "";
    public string RequestHash { get; set; } = "";
    public Guid EntryId { get; set; }
}
