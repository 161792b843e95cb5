namespace MonEspaceSante.HealthProfiles;

/// <summary>The profile as callers see it: copies of the state's lists, each in reading order.</summary>
internal static class HealthProfileViews
{
    public static HealthProfileView Of(Guid patientId, HealthProfileState? state)
    {
        var profile = state ?? new HealthProfileState();
        return new HealthProfileView(
            patientId,
            [.. profile.History.OrderByDescending(e => e.Item.StartDate ?? DateOnly.MaxValue).ThenByDescending(e => e.AddedAt)],
            [.. profile.Treatments.OrderByDescending(e => e.AddedAt)],
            [.. profile.Allergies.OrderByDescending(e => e.AddedAt)],
            [.. profile.FamilyHistory.OrderByDescending(e => e.AddedAt)],
            [.. profile.Vaccinations.OrderByDescending(e => e.Item.Date).ThenByDescending(e => e.AddedAt)],
            [.. profile.Measurements.OrderBy(e => e.Item.Kind).ThenByDescending(e => e.Item.Date).ThenByDescending(e => e.AddedAt)],
            Wishes(profile),
            [.. profile.Contacts.OrderBy(e => e.AddedAt)],
            [.. profile.Followers.OrderBy(e => e.AddedAt)]);
    }

    public static WishesView Wishes(HealthProfileState profile) =>
        new(profile.Wishes ?? new HealthWishes(OrganDonationChoice.NotStated, null, null), profile.WishesUpdatedAt, profile.WishesVersion);
}
