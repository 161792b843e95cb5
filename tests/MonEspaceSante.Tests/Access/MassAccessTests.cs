using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MonEspaceSante.Access;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Access;

public sealed class MassAccessTests : AccessTestBase
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Access:MaxSpacesPerHour"] = "2" };

    [Fact]
    public async Task Opening_more_distinct_spaces_per_hour_than_allowed_gets_429_and_raises_one_operator_alert()
    {
        await AddProfessionalsAsync(Physician);
        var patients = new List<(Person Person, HttpClient Client)>();
        for (var i = 0; i < 4; i++)
        {
            var (person, client) = await ActivePatientAsync();
            await GrantAsync(client, Physician);
            patients.Add((person, client));
        }

        using var pro = await ProAsync(Physician);
        var first = await FindOkAsync(pro, patients[0].Person);
        await FindOkAsync(pro, patients[1].Person);
        using (var third = await FindAsync(pro, patients[2].Person))
        {
            await ShouldBeProblemAsync(third, HttpStatusCode.TooManyRequests, "too-many-patients");
            RetryAfterOf(third).Should().BePositive().And.BeLessThanOrEqualTo(TimeSpan.FromHours(1), "the limit is per clock hour");
        }

        await ShouldBeProblemAsync(await FindAsync(pro, patients[3].Person), HttpStatusCode.TooManyRequests, "too-many-patients");
        // Spaces already opened this hour stay open.
        (await ProListAsync(pro, first)).Should().NotBeNull();
        (await HistoryAsync(patients[2].Client)).Items.Should().ContainSingle(e => e.Outcome == AccessOutcome.Denied && e.Reason == "Too many patient records opened in one hour");

        using var operatorClient = Silo.Operator();
        var alerts = await operatorClient.GetFromJsonAsync<List<JsonElement>>("/api/operator/alerts");
        alerts.Should().ContainSingle();
        alerts![0].GetProperty("actor").GetString().Should().Be($"professional:{Physician.Rpps}");

        Silo.Clock.Advance(TimeSpan.FromHours(1));
        using var nextHour = await ProAsync(Physician);
        await FindOkAsync(nextHour, patients[2].Person);
    }

    [Fact]
    public async Task Sending_documents_to_many_spaces_is_not_opening_them()
    {
        await AddProfessionalsAsync(Physician);
        var people = Enumerable.Range(0, 4).Select(_ => NewPerson()).ToArray();
        await EnrolAsync(people);
        using var lab = Silo.SoftwareFor(Physician.Rpps);
        foreach (var person in people)
        {
            var metadata = new { patient = new { nir = person.Nir, birthDate = person.BirthDate }, document = new { typeCode = "11502-2", title = "Bilan" } };
            await UploadOkAsync(lab, metadata, Samples.Pdf(), "application/pdf", "/api/clients/documents");
        }

        using var operatorClient = Silo.Operator();
        (await operatorClient.GetFromJsonAsync<List<JsonElement>>("/api/operator/alerts")).Should().BeEmpty();
    }
}
