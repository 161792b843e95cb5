namespace MonEspaceSante.HealthProfiles;

/// <summary>
/// Bounds of a health profile (docs/health-profile.md): the whole profile is one JSON row,
/// written on every change, so each section and each text is capped and a request beyond a cap
/// is refused with a problem that names it.
/// </summary>
public static class HealthProfileLimits
{
    public const int EntriesPerSection = 100;
    public const int Vaccinations = 300;
    public const int Measurements = 500;
    public const int LabelLength = 200;
    public const int ShortTextLength = 100;
    public const int NoteLength = 1000;
    public const int LotLength = 50;
    public const int PhoneLength = 30;
    public const int AdvanceDirectivesLength = 10_000;
    public const int ReferenceLength = 500;
    public const int IdempotencyKeyLength = 200;
    public const int IdempotencyKeysKept = 200;

    /// <summary>Dates before this are refused as typing mistakes.</summary>
    public static readonly DateOnly Earliest = new(1900, 1, 1);
}
