namespace MonEspaceSante.Spaces;

/// <summary>Lifecycle rules, bound from the <c>Spaces</c> configuration section. Defaults follow the reference rules.</summary>
public sealed class SpaceOptions
{
    /// <summary>A provisional code is valid 6 weeks from the notification date.</summary>
    public TimeSpan CodeValidity { get; set; } = TimeSpan.FromDays(42);

    /// <summary>Failed code attempts on one space before it refuses every attempt for <see cref="CodeLockout"/>.</summary>
    public int MaxCodeAttempts { get; set; } = 5;

    public TimeSpan CodeLockout { get; set; } = TimeSpan.FromHours(1);

    public int MaxLoginFailures { get; set; } = 5;

    public TimeSpan LoginLockout { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan ChallengeLifetime { get; set; } = TimeSpan.FromMinutes(10);

    public int MaxChallengeAttempts { get; set; } = 5;

    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A closed space is kept read-only this many years, then purged.</summary>
    public int ArchiveYears { get; set; } = 10;
}
