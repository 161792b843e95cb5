using Orleans;

namespace MonEspaceSante.HealthProfiles;

[GenerateSerializer]
[Alias("mes.MedicalHistoryKind")]
public enum MedicalHistoryKind
{
    Illness,
    Hospitalisation,
    Surgery,
    PastTreatment,
}

/// <summary>Medical history: an illness, a hospitalisation, a surgery or a past treatment.</summary>
[GenerateSerializer]
[Alias("mes.MedicalHistoryItem")]
public sealed record MedicalHistoryItem(
    [property: Id(0)] MedicalHistoryKind? Kind,
    [property: Id(1)] string? Label,
    [property: Id(2)] DateOnly? StartDate,
    [property: Id(3)] DateOnly? EndDate,
    [property: Id(4)] string? Note) : IHealthItem;

/// <summary>A current treatment.</summary>
[GenerateSerializer]
[Alias("mes.TreatmentItem")]
public sealed record TreatmentItem(
    [property: Id(0)] string? Medication,
    [property: Id(1)] string? Dosage,
    [property: Id(2)] DateOnly? StartDate,
    [property: Id(3)] string? Note) : IHealthItem;

[GenerateSerializer]
[Alias("mes.AllergySeverity")]
public enum AllergySeverity
{
    Mild,
    Moderate,
    Severe,
}

/// <summary>An allergy or intolerance.</summary>
[GenerateSerializer]
[Alias("mes.AllergyItem")]
public sealed record AllergyItem(
    [property: Id(0)] string? Allergen,
    [property: Id(1)] string? Reaction,
    [property: Id(2)] AllergySeverity? Severity,
    [property: Id(3)] DateOnly? Since,
    [property: Id(4)] string? Note) : IHealthItem;

/// <summary>A condition in the family: who (mother, brother…) and what.</summary>
[GenerateSerializer]
[Alias("mes.FamilyHistoryItem")]
public sealed record FamilyHistoryItem(
    [property: Id(0)] string? Relative,
    [property: Id(1)] string? Condition,
    [property: Id(2)] string? Note) : IHealthItem;

/// <summary>A vaccination: vaccine, date, optional lot number.</summary>
[GenerateSerializer]
[Alias("mes.VaccinationItem")]
public sealed record VaccinationItem(
    [property: Id(0)] string? Vaccine,
    [property: Id(1)] DateOnly? Date,
    [property: Id(2)] string? Lot,
    [property: Id(3)] string? Note) : IHealthItem;

[GenerateSerializer]
[Alias("mes.MeasurementKind")]
public enum MeasurementKind
{
    Height,
    Weight,
    BloodPressure,
    HeartRate,
    Temperature,
    BloodGlucose,
    WaistCircumference,
    OxygenSaturation,
}

/// <summary>
/// A measurement: its value in a unit from the kind's fixed list, and the date it was taken (not
/// in the future). Blood pressure is <see cref="Value"/> systolic over <see cref="Diastolic"/>.
/// </summary>
[GenerateSerializer]
[Alias("mes.MeasurementItem")]
public sealed record MeasurementItem(
    [property: Id(0)] MeasurementKind? Kind,
    [property: Id(1)] decimal? Value,
    [property: Id(2)] decimal? Diastolic,
    [property: Id(3)] string? Unit,
    [property: Id(4)] DateOnly? Date,
    [property: Id(5)] string? Note) : IHealthItem;

/// <summary>A person to contact (a relative, a trusted person): name, relation, phone.</summary>
[GenerateSerializer]
[Alias("mes.ContactItem")]
public sealed record ContactItem(
    [property: Id(0)] string? Name,
    [property: Id(1)] string? Relation,
    [property: Id(2)] string? Phone,
    [property: Id(3)] string? Note) : IHealthItem;

/// <summary>
/// A professional who follows the patient, by RPPS. When the professionals directory lists them,
/// <see cref="Name"/> and <see cref="Profession"/> are the directory's; otherwise the name given is kept.
/// </summary>
[GenerateSerializer]
[Alias("mes.FollowerItem")]
public sealed record FollowerItem(
    [property: Id(0)] string? Rpps,
    [property: Id(1)] string? Name,
    [property: Id(2)] string? Profession,
    [property: Id(3)] string? Role,
    [property: Id(4)] string? Note) : IHealthItem;
