namespace MonEspaceSante.HealthProfiles;

/// <summary>Where each kind of entry lives in the state, its name and its cap.</summary>
internal static class HealthSections
{
    public static List<HealthEntry<TItem>> Of<TItem>(HealthProfileState state)
        where TItem : class, IHealthItem
    {
        object? entries = typeof(TItem).Name switch
        {
            nameof(MedicalHistoryItem) => state.History,
            nameof(TreatmentItem) => state.Treatments,
            nameof(AllergyItem) => state.Allergies,
            nameof(FamilyHistoryItem) => state.FamilyHistory,
            nameof(VaccinationItem) => state.Vaccinations,
            nameof(MeasurementItem) => state.Measurements,
            nameof(ContactItem) => state.Contacts,
            nameof(FollowerItem) => state.Followers,
            _ => null,
        };
        return entries as List<HealthEntry<TItem>> ?? throw new ArgumentException($"{typeof(TItem).Name} is not a health profile section.");
    }

    /// <summary>The section's name as the API and the history spell it.</summary>
    public static string NameOf<TItem>() => typeof(TItem).Name switch
    {
        nameof(MedicalHistoryItem) => "history",
        nameof(TreatmentItem) => "treatments",
        nameof(AllergyItem) => "allergies",
        nameof(FamilyHistoryItem) => "family-history",
        nameof(VaccinationItem) => "vaccinations",
        nameof(MeasurementItem) => "measurements",
        nameof(ContactItem) => "contacts",
        nameof(FollowerItem) => "followers",
        _ => typeof(TItem).Name,
    };

    public static int MaxOf<TItem>() => typeof(TItem).Name switch
    {
        nameof(VaccinationItem) => HealthProfileLimits.Vaccinations,
        nameof(MeasurementItem) => HealthProfileLimits.Measurements,
        _ => HealthProfileLimits.EntriesPerSection,
    };

    /// <summary>Sections only the patient writes: the people around them are theirs to list.</summary>
    public static bool HolderOnly<TItem>() => typeof(TItem) == typeof(ContactItem) || typeof(TItem) == typeof(FollowerItem);

    /// <summary>Removes the entry if <paramref name="mayRemove"/> allows; null when the section has no such entry.</summary>
    public static bool? Remove<TItem>(List<HealthEntry<TItem>> entries, Guid entryId, Func<HealthEntryAuthor, bool> mayRemove)
        where TItem : class, IHealthItem
    {
        var index = entries.FindIndex(e => e.Id == entryId);
        if (index < 0)
        {
            return null;
        }

        if (!mayRemove(entries[index].Author))
        {
            return false;
        }

        entries.RemoveAt(index);
        return true;
    }
}
