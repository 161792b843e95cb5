namespace MonEspaceSante.Spaces;

/// <summary>
/// Majority in France is at 18, on the 18th birthday (a 29 February birthday comes of age on
/// 28 February in common years, as <see cref="DateOnly.AddYears"/> gives). Dates are taken in
/// UTC like every other date of the platform.
/// </summary>
public static class Majority
{
    public const int Age = 18;

    public static DateOnly On(DateOnly birthDate) => birthDate.AddYears(Age);

    public static DateTimeOffset At(DateOnly birthDate) => new(On(birthDate).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    public static bool IsMinor(DateOnly birthDate, DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime) < On(birthDate);
}
