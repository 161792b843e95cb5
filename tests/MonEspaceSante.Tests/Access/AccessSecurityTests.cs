using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MonEspaceSante.Documents;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Access;

/// <summary>
/// Nobody reaches what is not theirs, whatever id they try: the answer for someone else's
/// object is the same 404 as for an object that does not exist.
/// </summary>
public sealed class AccessSecurityTests : AccessTestBase
{
    [Fact]
    public async Task Another_patients_token_gets_the_same_404_on_every_document_route_whether_the_document_exists_or_not()
    {
        var (_, owner) = await ActivePatientAsync();
        var (_, other) = await ActivePatientAsync();
        var document = await OwnDocumentAsync(owner, DocumentCategory.Prescription, "Ordonnance");
        var missing = Guid.NewGuid();

        foreach (var (method, template, body) in new (HttpMethod, string, object?)[]
        {
            (HttpMethod.Get, "/api/me/documents/{0}", null),
            (HttpMethod.Get, "/api/me/documents/{0}/content", null),
            (HttpMethod.Patch, "/api/me/documents/{0}", new { title = "Volé" }),
            (HttpMethod.Post, "/api/me/documents/{0}/mask", null),
            (HttpMethod.Post, "/api/me/documents/{0}/unmask", null),
            (HttpMethod.Delete, "/api/me/documents/{0}", null),
        })
        {
            var existing = await NotFoundShapeAsync(await SendAsync(other, method, string.Format(template, document.Id), body));
            var absent = await NotFoundShapeAsync(await SendAsync(other, method, string.Format(template, missing), body));
            existing.Should().Be(absent, $"{method} {template}");
        }

        (await ListAsync(owner)).Items.Should().ContainSingle(d => d.Title == "Ordonnance" && !d.MaskedFromProfessionals);
    }

    [Fact]
    public async Task A_professional_without_a_grant_gets_the_same_404_on_every_patient_route_whether_the_patient_exists_or_not()
    {
        await AddProfessionalsAsync(Physician);
        var (_, patient) = await ActivePatientAsync();
        var document = await OwnDocumentAsync(patient, DocumentCategory.Prescription, "Ordonnance");
        var patientId = (await patient.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("spaceId").GetGuid();
        using var pro = await ProAsync(Physician);

        foreach (var (method, template) in new (HttpMethod, string)[]
        {
            (HttpMethod.Get, "/api/pro/patients/{0}/profile"),
            (HttpMethod.Get, "/api/pro/patients/{0}/documents"),
            (HttpMethod.Get, "/api/pro/patients/{0}/documents/{1}"),
            (HttpMethod.Get, "/api/pro/patients/{0}/documents/{1}/content"),
            (HttpMethod.Post, "/api/pro/patients/{0}/documents/{1}/release"),
        })
        {
            var existing = await NotFoundShapeAsync(await SendAsync(pro, method, string.Format(template, patientId, document.Id), null));
            var absent = await NotFoundShapeAsync(await SendAsync(pro, method, string.Format(template, Guid.NewGuid(), Guid.NewGuid()), null));
            existing.Should().Be(absent, $"{method} {template}");
        }

        using var upload = await UploadAsync(pro, new { typeCode = "11488-4", title = "Intrus" }, Samples.Pdf(), "application/pdf", path: $"/api/pro/patients/{patientId}/documents");
        using var uploadNowhere = await UploadAsync(pro, new { typeCode = "11488-4", title = "Intrus" }, Samples.Pdf(), "application/pdf", path: $"/api/pro/patients/{Guid.NewGuid()}/documents");
        (await NotFoundShapeAsync(upload)).Should().Be(await NotFoundShapeAsync(uploadNowhere));

        // Every attempt on the real space is in the patient's history, refused.
        var history = await HistoryAsync(patient);
        history.Total.Should().Be(5);
        history.Items.Should().OnlyContain(e => e.Outcome == MonEspaceSante.Access.AccessOutcome.Denied && e.Rpps == Physician.Rpps);
        (await ListAsync(patient)).Total.Should().Be(1);
    }

    [Fact]
    public async Task Roles_do_not_cross_patients_professionals_operators_and_software_acting_for_no_one()
    {
        await AddProfessionalsAsync(Physician);
        var (person, patient) = await ActivePatientAsync();
        using var pro = await ProAsync(Physician);
        using var operatorClient = Silo.Operator();
        using var software = Silo.Software();

        (await pro.GetAsync("/api/me/documents")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await pro.GetAsync("/api/me/access-history")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await patient.PostAsJsonAsync("/api/pro/patients/search", Search(person))).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await operatorClient.PostAsJsonAsync("/api/pro/patients/search", Search(person))).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await operatorClient.GetAsync("/api/me/access")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await pro.GetAsync("/api/operator/alerts")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await Client.PostAsJsonAsync("/api/pro/patients/search", Search(person))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        using var unnamed = await UploadAsync(software, LabReport(person), Samples.Pdf(), "application/pdf", path: "/api/clients/documents");
        await ShouldBeProblemAsync(unnamed, HttpStatusCode.Forbidden, "acting-for-required");
    }

    [Fact]
    public async Task Fields_a_professional_may_not_set_are_rejected()
    {
        await AddProfessionalsAsync(Physician);
        var (_, patient) = await ActivePatientAsync();
        await GrantAsync(patient, Physician);
        var patientId = (await patient.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("spaceId").GetGuid();
        using var pro = await ProAsync(Physician);
        var path = $"/api/pro/patients/{patientId}/documents";

        await ShouldBeProblemAsync(await UploadAsync(pro, new { typeCode = "11488-4", title = "x", maskedFromProfessionals = true }, Samples.Pdf(), "application/pdf", path: path), HttpStatusCode.BadRequest, "invalid-request");
        await ShouldBeProblemAsync(await UploadAsync(pro, new { typeCode = "11488-4", title = "x", author = new { kind = "Patient" } }, Samples.Pdf(), "application/pdf", path: path), HttpStatusCode.BadRequest, "invalid-request");
        (await ListAsync(patient)).Total.Should().Be(0);
    }

    [Fact]
    public async Task A_revocation_on_one_silo_applies_to_the_next_request_on_another()
    {
        await AddProfessionalsAsync(Physician);
        var (person, patient) = await ActivePatientAsync();
        await GrantAsync(patient, Physician);
        await using var siloB = new SiloFactory(ConnectionString, Path.Combine(DataPath, "..", "silo-b"), new ManualTimeProvider(Silo.Clock.GetUtcNow()));
        using var onB = siloB.SoftwareFor(Physician.Rpps);
        // A professional's own token from silo A's issuer is accepted on silo B: they share the issuer's key.
        using var ownToken = await ProAsync(Physician);
        using var ownOnB = siloB.WithBearer(ownToken.DefaultRequestHeaders.Authorization!.Parameter!);
        var patientId = await FindOkAsync(onB, person);
        (await ProListAsync(onB, patientId)).Should().NotBeNull();
        (await ProListAsync(ownOnB, patientId)).Should().NotBeNull();

        (await patient.DeleteAsync($"/api/me/access/professionals/{Physician.Rpps}")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await ownOnB.GetAsync($"/api/pro/patients/{patientId}/documents")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await onB.GetAsync($"/api/pro/patients/{patientId}/documents")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var last = (await HistoryAsync(patient)).Items[0];
        last.Should().Match<MonEspaceSante.Access.AccessHistoryEntry>(e => e.Outcome == MonEspaceSante.Access.AccessOutcome.Denied && e.Via == "lab-system");
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await client.SendAsync(request);
    }
}
