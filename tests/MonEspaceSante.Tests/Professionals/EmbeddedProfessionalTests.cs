using System.Net.Http.Json;
using MonEspaceSante.Professionals;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Professionals;

/// <summary>The professionals directory on the embedded default (SQLite).</summary>
public sealed class EmbeddedProfessionalTests : DocumentTestBase
{
    protected override bool Embedded => true;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Professionals:BatchSize"] = "3" };

    [Fact]
    public async Task Import_reimport_update_and_search_work_on_sqlite()
    {
        var csv = ProfessionalFiles.Csv([.. ProfessionalFiles.ReadyMade, ProfessionalFiles.Physician], [ProfessionalFiles.Line(ProfessionalFiles.Nurse, rpps: "123", nationalId: "")]);

        var first = await ProfessionalFiles.ImportAsync(Silo, csv);
        var again = await ProfessionalFiles.ImportAsync(Silo, csv);
        var renamed = ProfessionalFiles.Pharmacist with { LastName = "LEFÈVRE-ROUX" };
        var changed = await ProfessionalFiles.ImportAsync(Silo, ProfessionalFiles.Csv(renamed));

        first.Should().BeEquivalentTo(new { Rows = 6L, Imported = 4L, Changed = 4L, Duplicates = 1L, Rejected = 1L });
        first.Rejections.Should().ContainSingle().Which.Line.Should().Be(7);
        again.Should().BeEquivalentTo(new { Imported = 4L, Changed = 0L });
        changed.Changed.Should().Be(1);

        var (_, patient) = await ActivePatientAsync();
        var page = await patient.GetFromJsonAsync<ProfessionalPage>("/api/professionals?name=eloise", Json.Options);
        page!.Items.Should().Equal(renamed);
        (await patient.GetFromJsonAsync<ProfessionalPage>("/api/professionals?name=lefevre%20roux", Json.Options))!.Total.Should().Be(1);
        (await patient.GetFromJsonAsync<ProfessionalPage>("/api/professionals?city=PARIS&limit=1&offset=1", Json.Options))!
            .Should().Match<ProfessionalPage>(p => p.Total == 2 && p.Items.Single().Equals(ProfessionalFiles.Midwife));
        (await patient.GetFromJsonAsync<ProfessionalInfo>($"/api/professionals/{ProfessionalFiles.Nurse.Rpps}", Json.Options)).Should().Be(ProfessionalFiles.Nurse);
    }
}
