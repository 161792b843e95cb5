using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MonEspaceSante.Professionals;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Access;

/// <summary>The mass-access guard's second counter: a software client's distinct spaces per hour, across the professionals it acts for.</summary>
public sealed class SoftwareMassAccessTests : AccessTestBase
{
    private static readonly ProfessionalInfo Cardiologist = new("10007000002", "Moreau", "Inès", "10", "Médecin", "Cardiologie", SiloFactory.HospitalFiness, "Hôpital Saint-Louis", "Paris");
    private static readonly ProfessionalInfo Neurologist = new("10008000001", "Lefebvre", "Marc", "10", "Médecin", "Neurologie", SiloFactory.HospitalFiness, "Hôpital Saint-Louis", "Paris");

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Access:MaxSpacesPerHour"] = "2",
        ["Access:MaxSpacesPerHourPerClient"] = "2",
    };

    [Fact]
    public async Task A_space_refused_to_the_professional_is_not_counted_for_the_software_and_the_software_limit_holds_across_professionals()
    {
        await AddProfessionalsAsync(Cardiologist, Neurologist);
        var patients = new List<(Person Person, HttpClient Client)>();
        for (var i = 0; i < 3; i++)
        {
            var (person, client) = await ActivePatientAsync();
            await GrantAsync(client, Cardiologist);
            await GrantAsync(client, Neurologist);
            patients.Add((person, client));
        }

        using var forCardiologist = Silo.SoftwareFor(Cardiologist.Rpps, other: true);
        await FindOkAsync(forCardiologist, patients[0].Person);
        await FindOkAsync(forCardiologist, patients[1].Person);
        // The cardiologist's own limit: refused, and the third space is counted for no one.
        await ShouldBeProblemAsync(await FindAsync(forCardiologist, patients[2].Person), HttpStatusCode.TooManyRequests, "too-many-patients");

        using var forNeurologist = Silo.SoftwareFor(Neurologist.Rpps, other: true);
        // Already opened by this software this hour: not a new space for it.
        await FindOkAsync(forNeurologist, patients[0].Person);
        // New for the software, which has opened two: refused, though the neurologist opened only one.
        await ShouldBeProblemAsync(await FindAsync(forNeurologist, patients[2].Person), HttpStatusCode.TooManyRequests, "too-many-patients");

        using var operatorClient = Silo.Operator();
        var actors = (await operatorClient.GetFromJsonAsync<List<JsonElement>>("/api/operator/alerts"))!.Select(a => a.GetProperty("actor").GetString()).ToList();
        actors.Should().BeEquivalentTo([$"professional:{Cardiologist.Rpps}", "client:hospital-system"]);

        // The same professional through a different software counts against that software's limit only.
        using var direct = await ProAsync(Neurologist);
        await FindOkAsync(direct, patients[2].Person);
    }
}
