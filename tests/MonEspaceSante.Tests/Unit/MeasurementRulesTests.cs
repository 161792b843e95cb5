using MonEspaceSante.Errors;
using MonEspaceSante.HealthProfiles;

namespace MonEspaceSante.Tests.Unit;

/// <summary>
/// docs/health-profile.md, "Measurements: units and plausible ranges": each kind in its units,
/// each range inclusive at both ends, at most 2 decimals, units matched without case and stored
/// as spelt in the table, blood pressure as systolic over a lower diastolic.
/// </summary>
public sealed class MeasurementRulesTests
{
    private static readonly DateOnly Today = new(2026, 11, 2);

    private static (MeasurementItem Item, List<string> Problems) Normalize(MeasurementItem item)
    {
        var problems = new List<string>();
        return (MeasurementRules.Normalize(item, Today, problems), problems);
    }

    private static MeasurementItem Measure(MeasurementKind? kind, decimal? value, string? unit, decimal? diastolic = null, DateOnly? date = null) =>
        new(kind, value, diastolic, unit, date ?? Today, null);

    /// <summary>A diastolic that passes next to any documented systolic, so that only the value under test decides.</summary>
    private static decimal? DiastolicFor(MeasurementKind kind) => kind == MeasurementKind.BloodPressure ? 20 : null;

    public static TheoryData<MeasurementKind, string, decimal, decimal> Ranges => new()
    {
        // The documented table, written out here rather than read from the code.
        { MeasurementKind.Height, "cm", 20m, 260m },
        { MeasurementKind.Height, "m", 0.2m, 2.6m },
        { MeasurementKind.Weight, "kg", 0.2m, 500m },
        { MeasurementKind.Weight, "g", 200m, 20_000m },
        { MeasurementKind.BloodPressure, "mmHg", 40m, 300m },
        { MeasurementKind.HeartRate, "bpm", 20m, 300m },
        { MeasurementKind.Temperature, "°C", 25m, 45m },
        { MeasurementKind.BloodGlucose, "g/L", 0.1m, 10m },
        { MeasurementKind.BloodGlucose, "mmol/L", 0.5m, 55m },
        { MeasurementKind.WaistCircumference, "cm", 20m, 300m },
        { MeasurementKind.OxygenSaturation, "%", 50m, 100m },
    };

    [Theory]
    [MemberData(nameof(Ranges))]
    public void Each_range_includes_its_ends(MeasurementKind kind, string unit, decimal min, decimal max)
    {
        foreach (var value in new[] { min, max })
        {
            var (item, problems) = Normalize(Measure(kind, value, unit, DiastolicFor(kind)));
            problems.Should().BeEmpty($"{value} {unit} is within the range of {kind}");
            item.Value.Should().Be(value);
            item.Unit.Should().Be(unit);
            item.Kind.Should().Be(kind);
        }
    }

    [Theory]
    [MemberData(nameof(Ranges))]
    public void A_hundredth_outside_a_range_is_refused_with_the_range(MeasurementKind kind, string unit, decimal min, decimal max)
    {
        foreach (var value in new[] { min - 0.01m, max + 0.01m })
        {
            var (_, problems) = Normalize(Measure(kind, value, unit, DiastolicFor(kind)));
            problems.Should().Equal(FormattableString.Invariant($"value for {kind} in {unit} must be between {min} and {max}."));
        }
    }

    [Fact]
    public void Every_kind_has_the_documented_units_in_order()
    {
        var documented = new Dictionary<MeasurementKind, string[]>
        {
            [MeasurementKind.Height] = ["cm", "m"],
            [MeasurementKind.Weight] = ["kg", "g"],
            [MeasurementKind.BloodPressure] = ["mmHg"],
            [MeasurementKind.HeartRate] = ["bpm"],
            [MeasurementKind.Temperature] = ["°C"],
            [MeasurementKind.BloodGlucose] = ["g/L", "mmol/L"],
            [MeasurementKind.WaistCircumference] = ["cm"],
            [MeasurementKind.OxygenSaturation] = ["%"],
        };

        documented.Keys.Should().BeEquivalentTo(Enum.GetValues<MeasurementKind>(), "every kind is in the documented table");
        foreach (var (kind, units) in documented)
        {
            MeasurementRules.UnitsOf(kind).Should().Equal(units);
        }

        MeasurementRules.UnitsOf((MeasurementKind)99).Should().BeEmpty();
    }

    [Theory]
    [InlineData(MeasurementKind.BloodPressure, " MMHG ", "mmHg")]
    [InlineData(MeasurementKind.Temperature, "°c", "°C")]
    [InlineData(MeasurementKind.BloodGlucose, "MMOL/l", "mmol/L")]
    [InlineData(MeasurementKind.Weight, "KG", "kg")]
    [InlineData(MeasurementKind.HeartRate, "Bpm", "bpm")]
    public void A_unit_is_matched_without_case_and_stored_as_documented(MeasurementKind kind, string given, string stored)
    {
        var value = kind switch
        {
            MeasurementKind.BloodPressure => 120m,
            MeasurementKind.Temperature => 37.2m,
            MeasurementKind.BloodGlucose => 5.5m,
            MeasurementKind.Weight => 72m,
            _ => 60m,
        };

        var (item, problems) = Normalize(Measure(kind, value, given, kind == MeasurementKind.BloodPressure ? 80 : null));

        problems.Should().BeEmpty();
        item.Unit.Should().Be(stored);
    }

    [Theory]
    [InlineData(MeasurementKind.Weight, "cm", "unit for Weight must be one of: kg, g.")]
    [InlineData(MeasurementKind.Height, "in", "unit for Height must be one of: cm, m.")]
    [InlineData(MeasurementKind.Temperature, "°F", "unit for Temperature must be one of: °C.")]
    [InlineData(MeasurementKind.OxygenSaturation, null, "unit for OxygenSaturation must be one of: %.")]
    [InlineData(MeasurementKind.HeartRate, "", "unit for HeartRate must be one of: bpm.")]
    public void A_unit_of_another_kind_or_none_is_refused_with_the_kind_s_units(MeasurementKind kind, string? unit, string problem)
    {
        Normalize(Measure(kind, 60, unit)).Problems.Should().Equal(problem);
    }

    [Fact]
    public void The_documented_typing_mistakes_are_refused()
    {
        // "180 m, 72 g" (docs/health-profile.md).
        Normalize(Measure(MeasurementKind.Height, 180, "m")).Problems.Should().Equal("value for Height in m must be between 0.2 and 2.6.");
        Normalize(Measure(MeasurementKind.Weight, 72, "g")).Problems.Should().Equal("value for Weight in g must be between 200 and 20000.");
    }

    [Theory]
    [InlineData("72.55", true)]
    [InlineData("72.50", true)]
    [InlineData("72.500", true)]
    [InlineData("72.555", false)]
    [InlineData("72.001", false)]
    public void A_value_has_at_most_2_decimals(string value, bool accepted)
    {
        var number = decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture);

        var problems = Normalize(Measure(MeasurementKind.Weight, number, "kg")).Problems;

        if (accepted)
        {
            problems.Should().BeEmpty();
        }
        else
        {
            problems.Should().Equal("value has at most 2 decimals.");
        }
    }

    [Fact]
    public void A_value_is_required()
    {
        Normalize(Measure(MeasurementKind.Weight, null, "kg")).Problems.Should().Equal("value is required for Weight.");
    }

    [Theory]
    [InlineData(null)]
    [InlineData(99)]
    public void A_measurement_needs_a_known_kind(int? kind)
    {
        var problems = Normalize(Measure((MeasurementKind?)kind, 60, "bpm")).Problems;

        problems.Should().Equal("kind is required, one of: Height, Weight, BloodPressure, HeartRate, Temperature, BloodGlucose, WaistCircumference, OxygenSaturation.");
    }

    [Theory]
    [InlineData(120, 20)]
    [InlineData(250, 200)]
    [InlineData(120, 119.99)]
    public void A_diastolic_from_20_to_200_and_below_the_systolic_is_accepted(double systolic, double diastolic)
    {
        var (item, problems) = Normalize(Measure(MeasurementKind.BloodPressure, (decimal)systolic, "mmHg", (decimal)diastolic));

        problems.Should().BeEmpty();
        item.Diastolic.Should().Be((decimal)diastolic);
    }

    [Theory]
    [InlineData(120, 19.99, "diastolic for BloodPressure in mmHg must be between 20 and 200.")]
    [InlineData(250, 200.01, "diastolic for BloodPressure in mmHg must be between 20 and 200.")]
    [InlineData(120, 80.001, "diastolic has at most 2 decimals.")]
    [InlineData(120, 120, "diastolic must be lower than the systolic value.")]
    [InlineData(120, 121, "diastolic must be lower than the systolic value.")]
    public void Any_other_diastolic_is_refused(double systolic, double diastolic, string problem)
    {
        Normalize(Measure(MeasurementKind.BloodPressure, (decimal)systolic, "mmHg", (decimal)diastolic)).Problems.Should().Equal(problem);
    }

    [Fact]
    public void Blood_pressure_needs_its_diastolic()
    {
        Normalize(Measure(MeasurementKind.BloodPressure, 120, "mmHg")).Problems.Should().Equal("diastolic is required for BloodPressure.");
    }

    [Fact]
    public void Only_blood_pressure_has_a_diastolic()
    {
        Normalize(Measure(MeasurementKind.HeartRate, 60, "bpm", diastolic: 40)).Problems.Should().Equal("diastolic is only for BloodPressure.");
    }

    [Fact]
    public void A_measurement_is_dated_up_to_today()
    {
        Normalize(Measure(MeasurementKind.HeartRate, 60, "bpm", date: Today)).Problems.Should().BeEmpty();
        Normalize(Measure(MeasurementKind.HeartRate, 60, "bpm", date: new DateOnly(1900, 1, 1))).Problems.Should().BeEmpty();

        Normalize(Measure(MeasurementKind.HeartRate, 60, "bpm", date: Today.AddDays(1))).Problems.Should()
            .Equal("date must be between 1900-01-01 and today (2026-11-02), not in the future.");
        Normalize(new MeasurementItem(MeasurementKind.HeartRate, 60, null, "bpm", null, null)).Problems.Should()
            .Equal("date is required (a date, yyyy-MM-dd).");
    }

    [Fact]
    public void The_documented_example_of_a_refusal_is_the_one_given()
    {
        // docs/health-profile.md, "Validation and limits": the detail names every field at fault.
        var refuse = () => HealthItemRules.Normalize(Measure(MeasurementKind.Weight, 72, "cm", date: Today.AddDays(1)), Today);

        var refusal = refuse.Should().Throw<DomainException>().Which;
        refusal.Error.Should().Be(DomainError.InvalidRequest);
        refusal.Message.Should().Be("date must be between 1900-01-01 and today (2026-11-02), not in the future. unit for Weight must be one of: kg, g.");
    }

    [Fact]
    public void A_measurement_s_note_is_trimmed_and_may_span_lines()
    {
        var (item, problems) = Normalize(new MeasurementItem(MeasurementKind.Temperature, 38.5m, null, "°C", Today, "  au réveil\naprès paracétamol  "));

        problems.Should().BeEmpty();
        item.Note.Should().Be("au réveil\naprès paracétamol");
    }
}
