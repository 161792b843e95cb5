using System.Net;
using System.Net.Http.Json;
using MonEspaceSante.Documents;
using MonEspaceSante.Professionals;

namespace MonEspaceSante.Tests.Infrastructure;

/// <summary>Active patients and document uploads over the real HTTP API.</summary>
public abstract class DocumentTestBase : SpaceTestBase
{
    protected string ContentPath => Path.Combine(DataPath, "content");

    /// <summary>The lab biologist whose software sends the sample reports (<see cref="LabReport"/>'s author).</summary>
    protected static readonly ProfessionalInfo LabBiologist = ProfessionalFiles.Physician with { FacilityFiness = SiloFactory.LabFiness };

    /// <summary>A hospital doctor whose software is another client.</summary>
    protected static readonly ProfessionalInfo HospitalDoctor = new("10006000003", "Bernard", "Luc", "10", "Médecin", "Médecine interne", SiloFactory.HospitalFiness, "Hôpital Saint-Louis", "Paris");

    private bool directoryLoaded;

    /// <summary>Whether each new active patient (in the documents tests that feed through the lab) authorises <see cref="LabBiologist"/>, so the lab's software may feed their space.</summary>
    protected virtual bool AuthoriseLab => false;

    /// <summary>Enrols, activates and logs in a new person.</summary>
    protected async Task<(Person Person, HttpClient Patient)> ActivePatientAsync()
    {
        var person = NewPerson();
        await EnrolAsync(person);
        (await ActivateAsync(person, CodeOf(person))).StatusCode.Should().Be(HttpStatusCode.OK);
        var patient = await LoginAsync(person.Email!);
        if (AuthoriseLab)
        {
            await LoadDirectoryAsync();
            using var grant = await patient.PutAsJsonAsync($"/api/me/access/professionals/{LabBiologist.Rpps}", new { status = "Authorised" });
            grant.StatusCode.Should().Be(HttpStatusCode.OK, await grant.Content.ReadAsStringAsync());
        }

        return (person, patient);
    }

    /// <summary>The lab's software acting for <see cref="LabBiologist"/>, or the hospital's acting for <see cref="HospitalDoctor"/>.</summary>
    protected async Task<HttpClient> LabSoftwareAsync(bool other = false)
    {
        await LoadDirectoryAsync();
        return Silo.SoftwareFor(other ? HospitalDoctor.Rpps : LabBiologist.Rpps, other);
    }

    /// <summary>Puts the documents tests' professionals in the directory, once per silo, through the operator import.</summary>
    protected async Task LoadDirectoryAsync()
    {
        if (!directoryLoaded)
        {
            await ProfessionalFiles.ImportAsync(Silo, ProfessionalFiles.Csv(LabBiologist, HospitalDoctor));
            directoryLoaded = true;
        }
    }

    protected static async Task<HttpResponseMessage> UploadAsync(HttpClient client, object metadata, byte[] content, string? contentType, string? idempotencyKey = null, string path = "/api/me/documents")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Samples.Upload(metadata, content, contentType) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await client.SendAsync(request);
    }

    protected static async Task<DocumentInfo> UploadOkAsync(HttpClient client, object metadata, byte[] content, string? contentType, string path = "/api/me/documents")
    {
        using var response = await UploadAsync(client, metadata, content, contentType, path: path);
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<DocumentInfo>(Json.Options))!;
    }

    /// <summary>Metadata a lab system sends for a person.</summary>
    protected static object LabReport(Person person, string title = "Bilan sanguin", bool hidden = false, DateTimeOffset? releaseAt = null, Guid? replaces = null, DateOnly? birthDate = null) => new
    {
        patient = new { nir = person.Nir, birthDate = birthDate ?? person.BirthDate },
        document = new
        {
            typeCode = "11502-2",
            title,
            clinicalDate = new DateOnly(2026, 10, 30),
            sourceSoftware = "LabSys 4.2",
            author = new { kind = "Professional", id = "10003456786", name = "Dr Claire Martin" },
            hiddenFromPatient = hidden,
            releaseAt,
            replaces,
        },
    };

    protected static async Task<DocumentPage> ListAsync(HttpClient patient, string query = "")
    {
        using var response = await patient.GetAsync("/api/me/documents" + query);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<DocumentPage>(Json.Options))!;
    }

    protected int ContentFileCount() =>
        Directory.Exists(ContentPath) ? Directory.GetFiles(ContentPath, "*", SearchOption.AllDirectories).Length : 0;
}
