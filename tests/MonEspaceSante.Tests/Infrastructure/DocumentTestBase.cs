using System.Net;
using System.Net.Http.Json;
using MonEspaceSante.Documents;

namespace MonEspaceSante.Tests.Infrastructure;

/// <summary>Active patients and document uploads over the real HTTP API.</summary>
public abstract class DocumentTestBase : SpaceTestBase
{
    protected string ContentPath => Path.Combine(DataPath, "content");

    /// <summary>Enrols, activates and logs in a new person.</summary>
    protected async Task<(Person Person, HttpClient Patient)> ActivePatientAsync()
    {
        var person = NewPerson();
        await EnrolAsync(person);
        (await ActivateAsync(person, CodeOf(person))).StatusCode.Should().Be(HttpStatusCode.OK);
        return (person, await LoginAsync(person.Email!));
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
