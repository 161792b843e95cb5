using Orleans;

namespace MonEspaceSante.HealthProfiles;

/// <summary>What a caller wants to do with a health profile; the patient space decides (docs/access.md).</summary>
[GenerateSerializer]
[Alias("mes.HealthProfileAction")]
public enum HealthProfileAction
{
    Read,
    Download,
    Add,

    /// <summary>Change or remove an entry (a professional: only one they wrote).</summary>
    Change,
}

/// <summary>
/// The space's answer when it allows a health-profile action: who the caller is as an author,
/// whether they act as the space's holder, under break-glass, and the patient's name and birth
/// date (for the PDF synthesis).
/// </summary>
[GenerateSerializer]
[Alias("mes.HealthProfileAccess")]
public sealed record HealthProfileAccess(
    [property: Id(0)] HealthEntryAuthor Author,
    [property: Id(1)] bool Holder,
    [property: Id(2)] bool Emergency,
    [property: Id(3)] string PatientName,
    [property: Id(4)] DateOnly BirthDate);
