using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MonEspaceSante.Access;
using MonEspaceSante.Documents;
using MonEspaceSante.Professionals;

namespace MonEspaceSante.Tests.Infrastructure;

/// <summary>Professionals in the directory, patients with documents, and the calls professionals make.</summary>
public abstract class AccessTestBase : DocumentTestBase
{
    public static readonly ProfessionalInfo Physician = new("10001000008", "Martin", "Claire", "10", "Médecin", "Médecine générale", "750000001", "Cabinet Martin", "Paris");
    public static readonly ProfessionalInfo OtherPhysician = new("10002000007", "Durand", "Paul", "10", "Médecin", "Cardiologie", "690000002", "Hôpital Nord", "Lyon");
    public static readonly ProfessionalInfo Pharmacist = new("10003000006", "Petit", "Léa", "21", "Pharmacien", null, "330000003", "Pharmacie du Port", "Bordeaux");
    public static readonly ProfessionalInfo Nurse = new("10004000005", "Roux", "Hugo", "60", "Infirmier", null, null, null, "Lille");

    /// <summary>Imports the directory entries through the operator API, as a deployment does.</summary>
    protected Task AddProfessionalsAsync(params ProfessionalInfo[] professionals) =>
        ProfessionalFiles.ImportAsync(Silo, ProfessionalFiles.Csv(professionals));

    protected Task<HttpClient> ProAsync(ProfessionalInfo professional) => Silo.Professional(professional.Rpps);

    protected async Task GrantAsync(HttpClient patient, ProfessionalInfo professional, object? body = null)
    {
        using var response = await patient.PutAsJsonAsync($"/api/me/access/professionals/{professional.Rpps}", body ?? new { status = "Authorised" });
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    protected static object Search(Person person, string? birthName = null, DateOnly? birthDate = null) => new
    {
        ins = person.Nir,
        birthDate = birthDate ?? person.BirthDate,
        birthName = birthName ?? person.BirthName,
    };

    protected static async Task<HttpResponseMessage> FindAsync(HttpClient pro, Person person, string? birthName = null) =>
        await pro.PostAsJsonAsync("/api/pro/patients/search", Search(person, birthName));

    protected static async Task<Guid> FindOkAsync(HttpClient pro, Person person)
    {
        using var response = await FindAsync(pro, person);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<PatientMatch>(Json.Options))!.PatientId;
    }

    protected static async Task<DocumentPage> ProListAsync(HttpClient pro, Guid patientId, string query = "")
    {
        using var response = await pro.GetAsync($"/api/pro/patients/{patientId}/documents{query}");
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<DocumentPage>(Json.Options))!;
    }

    /// <summary>A patient's own upload in a category, optionally masked.</summary>
    protected static async Task<DocumentInfo> OwnDocumentAsync(HttpClient patient, DocumentCategory category, string title, bool masked = false) =>
        await UploadOkAsync(patient, new { category = category.ToString(), title, maskedFromProfessionals = masked }, Samples.Pdf(), "application/pdf");

    protected static async Task<AccessHistoryPage> HistoryAsync(HttpClient patient, string query = "")
    {
        using var response = await patient.GetAsync("/api/me/access-history" + query);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<AccessHistoryPage>(Json.Options))!;
    }

    protected static async Task<List<JsonElement>> NotificationsAsync(HttpClient patient)
    {
        var page = await patient.GetFromJsonAsync<JsonElement>("/api/me/notifications?limit=500");
        return page.GetProperty("items").EnumerateArray().ToList();
    }

    /// <summary>The parts of a 404 a caller sees, without the per-request trace id.</summary>
    protected static async Task<string> NotFoundShapeAsync(HttpResponseMessage response)
    {
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return $"{body.GetProperty("type").GetString()}|{body.GetProperty("title").GetString()}|{(body.TryGetProperty("detail", out var detail) ? detail.GetString() : "")}";
    }
}
