using System.Net;
using System.Net.Http.Json;
using MonEspaceSante.Professionals;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Professionals;

/// <summary>Patients searching the directory and reading one professional, on PostgreSQL.</summary>
public sealed class ProfessionalSearchTests : DocumentTestBase
{
    private HttpClient? patient;

    /// <summary>The ready-made professionals in the directory, and a logged-in patient (once per test).</summary>
    private async Task<HttpClient> PatientAsync()
    {
        if (patient is null)
        {
            await ProfessionalFiles.ImportAsync(Silo, ProfessionalFiles.Csv([.. ProfessionalFiles.ReadyMade]));
            (_, patient) = await ActivePatientAsync();
        }

        return patient;
    }

    [Theory]
    [InlineData("eloise")]
    [InlineData("ÉLOÏSE LEF")]
    [InlineData("lefevre")]
    [InlineData("Lefèvre Éloïse")]
    [InlineData("  le ")]
    public async Task A_name_is_found_by_a_prefix_of_last_first_or_first_last_whatever_the_case_and_accents(string name)
    {
        var page = await SearchAsync($"?name={Uri.EscapeDataString(name)}");

        page.Items.Should().Equal(ProfessionalFiles.Pharmacist);
        page.Total.Should().Be(1);
    }

    [Fact]
    public async Task Hyphens_and_apostrophes_are_spaces()
    {
        (await SearchAsync("?name=dupont%20moreau")).Items.Should().Equal(ProfessionalFiles.Nurse);
        (await SearchAsync("?name=dupont-moreau%20jerome")).Items.Should().Equal(ProfessionalFiles.Nurse);
        (await SearchAsync("?name=n%27diaye")).Items.Should().Equal(ProfessionalFiles.Midwife);
        (await SearchAsync("?name=martinez")).Items.Should().BeEmpty();
    }

    [Fact]
    public async Task Profession_matches_by_code_or_label_and_city_by_prefix()
    {
        (await SearchAsync("?profession=21")).Items.Should().Equal(ProfessionalFiles.Pharmacist);
        (await SearchAsync("?profession=sage-femme")).Items.Should().Equal(ProfessionalFiles.Midwife);
        (await SearchAsync("?profession=MÉDECIN")).Items.Should().Equal(ProfessionalFiles.Physician);
        (await SearchAsync("?profession=infirm")).Items.Should().Equal(ProfessionalFiles.Nurse);
        (await SearchAsync("?city=paris")).Items.Should().Equal(ProfessionalFiles.Physician, ProfessionalFiles.Midwife);
        (await SearchAsync("?city=saint%20etienne")).Items.Should().Equal(ProfessionalFiles.Pharmacist);
        (await SearchAsync("?city=paris&profession=50")).Items.Should().Equal(ProfessionalFiles.Midwife);
        (await SearchAsync("?city=lyon&profession=10")).Items.Should().BeEmpty();
    }

    [Fact]
    public async Task Results_come_in_name_order_page_by_page_with_the_total()
    {
        var physicians = Enumerable.Range(0, 25)
            .Select(i => ProfessionalFiles.Physician with { Rpps = ProfessionalFiles.Rpps(i), LastName = $"BERNARD{24 - i:D2}", FirstName = "Paul" })
            .ToList();
        await ProfessionalFiles.ImportAsync(Silo, ProfessionalFiles.Csv([.. physicians]));
        var ordered = physicians.OrderBy(p => p.LastName, StringComparer.Ordinal).ToList();

        var first = await SearchAsync("?name=bernard");
        var second = await SearchAsync("?name=bernard&offset=20&limit=20");
        var small = await SearchAsync("?profession=10&limit=3&offset=1");
        var beyond = await SearchAsync("?name=bernard&offset=40");

        first.Should().BeEquivalentTo(new { Offset = 0, Limit = 20, Total = 25L });
        first.Items.Should().Equal(ordered.Take(20));
        second.Items.Should().Equal(ordered.Skip(20));
        small.Total.Should().Be(26);
        small.Items.Should().Equal(ordered.Skip(1).Take(3));
        beyond.Items.Should().BeEmpty();
        beyond.Total.Should().Be(25);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?name=")]
    [InlineData("?name=%20-%27")]
    [InlineData("?name=martin&limit=0")]
    [InlineData("?name=martin&limit=101")]
    [InlineData("?name=martin&offset=-1")]
    public async Task A_search_without_criterion_or_with_bad_paging_gets_400(string query)
    {
        using var response = await (await PatientAsync()).GetAsync("/api/professionals" + query);
        await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, "invalid-request");
    }

    [Fact]
    public async Task One_professional_is_read_by_rpps_or_national_id_and_an_unknown_or_malformed_one_gets_404()
    {
        (await (await PatientAsync()).GetFromJsonAsync<ProfessionalInfo>($"/api/professionals/{ProfessionalFiles.Physician.Rpps}", Json.Options)).Should().Be(ProfessionalFiles.Physician);
        (await (await PatientAsync()).GetFromJsonAsync<ProfessionalInfo>($"/api/professionals/8{ProfessionalFiles.Nurse.Rpps}", Json.Options)).Should().Be(ProfessionalFiles.Nurse);

        using (var unknown = await (await PatientAsync()).GetAsync($"/api/professionals/{ProfessionalFiles.Rpps(999)}"))
        {
            await ShouldBeProblemAsync(unknown, HttpStatusCode.NotFound, "not-found");
        }

        using (var badLuhn = await (await PatientAsync()).GetAsync("/api/professionals/10003456787"))
        {
            await ShouldBeProblemAsync(badLuhn, HttpStatusCode.NotFound, "not-found");
        }

        using (var text = await (await PatientAsync()).GetAsync("/api/professionals/martin"))
        {
            await ShouldBeProblemAsync(text, HttpStatusCode.NotFound, "not-found");
        }
    }

    [Fact]
    public async Task The_directory_needs_a_patient_session()
    {
        using (var anonymous = await Client.GetAsync("/api/professionals?name=martin"))
        {
            anonymous.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        using (var anonymousOne = await Client.GetAsync($"/api/professionals/{ProfessionalFiles.Physician.Rpps}"))
        {
            anonymousOne.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        using var software = Silo.Software();
        using (var asSoftware = await software.GetAsync("/api/professionals?name=martin"))
        {
            asSoftware.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        }

        using var response = await (await PatientAsync()).GetAsync("/api/professionals?name=martin");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.CacheControl!.NoStore.Should().BeTrue();
    }

    private async Task<ProfessionalPage> SearchAsync(string query)
    {
        using var response = await (await PatientAsync()).GetAsync("/api/professionals" + query);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ProfessionalPage>(Json.Options))!;
    }
}
