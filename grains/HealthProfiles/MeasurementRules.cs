using System.Globalization;

namespace MonEspaceSante.HealthProfiles;

/// <summary>
/// The units each kind of measurement may be given in, and the plausible range in each: a
/// value outside it is far more likely a typing or unit mistake than a fact (docs/health-profile.md).
/// </summary>
internal static class MeasurementRules
{
    private sealed record UnitRange(string Unit, decimal Min, decimal Max);

    private static readonly Dictionary<MeasurementKind, UnitRange[]> Units = new()
    {
        [MeasurementKind.Height] = [new("cm", 20, 260), new("m", 0.2m, 2.6m)],
        [MeasurementKind.Weight] = [new("kg", 0.2m, 500), new("g", 200, 20_000)],
        [MeasurementKind.BloodPressure] = [new("mmHg", 40, 300)],
        [MeasurementKind.HeartRate] = [new("bpm", 20, 300)],
        [MeasurementKind.Temperature] = [new("°C", 25, 45)],
        [MeasurementKind.BloodGlucose] = [new("g/L", 0.1m, 10), new("mmol/L", 0.5m, 55)],
        [MeasurementKind.WaistCircumference] = [new("cm", 20, 300)],
        [MeasurementKind.OxygenSaturation] = [new("%", 50, 100)],
    };

    /// <summary>The units of a kind, as the API documents them.</summary>
    public static IReadOnlyList<string> UnitsOf(MeasurementKind kind) => Units.TryGetValue(kind, out var units) ? units.Select(u => u.Unit).ToList() : [];

    public static MeasurementItem Normalize(MeasurementItem m, DateOnly today, List<string> problems)
    {
        var date = HealthItemRules.Past(m.Date, "date", today, problems, required: true);
        var note = HealthItemRules.Text(m.Note, "note", HealthProfileLimits.NoteLength, problems, multiline: true);
        if (m.Kind is not { } kind || !Units.TryGetValue(kind, out var units))
        {
            problems.Add($"kind is required, one of: {string.Join(", ", Enum.GetNames<MeasurementKind>())}.");
            return m with { Date = date, Note = note };
        }

        var unit = units.FirstOrDefault(u => string.Equals(u.Unit, m.Unit?.Trim(), StringComparison.OrdinalIgnoreCase));
        if (unit is null)
        {
            problems.Add($"unit for {kind} must be one of: {string.Join(", ", units.Select(u => u.Unit))}.");
        }

        Check(m.Value, "value", unit, kind, problems);
        if (kind == MeasurementKind.BloodPressure)
        {
            Check(m.Diastolic, "diastolic", unit is null ? null : new UnitRange(unit.Unit, 20, 200), kind, problems);
            if (m.Value is { } systolic && m.Diastolic is { } diastolic && diastolic >= systolic)
            {
                problems.Add("diastolic must be lower than the systolic value.");
            }
        }
        else if (m.Diastolic is not null)
        {
            problems.Add("diastolic is only for BloodPressure.");
        }

        return new MeasurementItem(kind, m.Value, m.Diastolic, unit?.Unit ?? m.Unit, date, note);
    }

    private static void Check(decimal? value, string field, UnitRange? range, MeasurementKind kind, List<string> problems)
    {
        if (value is not { } number)
        {
            problems.Add($"{field} is required for {kind}.");
            return;
        }

        if (decimal.Round(number, 2) != number)
        {
            problems.Add($"{field} has at most 2 decimals.");
        }

        if (range is not null && (number < range.Min || number > range.Max))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{field} for {kind} in {range.Unit} must be between {range.Min} and {range.Max}."));
        }
    }
}
