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

        // Every attempt on the real space (the five routes and the upload) is in the patient's history, refused.
        var history = await HistoryAsync(patient);
        history.Total.Should().Be(6);
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

        // Software vouches only for its own facility's professionals: the hospital's key cannot be this doctor.
        await GrantAsync(patient, Physician);
        using var foreign = siloB.SoftwareFor(Physician.Rpps, other: true);
        (await foreign.GetAsync($"/api/pro/patients/{patientId}/documents")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await HistoryAsync(patient)).Items[0].Reason.Should().Be("Software not of this professional's facility");
        (await foreign.GetAsync("/api/pro/mailbox")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await onB.GetAsync("/api/pro/mailbox")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_professional_moved_to_another_facility_by_an_import_is_no_longer_vouched_for_by_the_old_facilitys_software()
    {
        await AddProfessionalsAsync(Physician);
        var (person, patient) = await ActivePatientAsync();
        await GrantAsync(patient, Physician);
        using var lab = Silo.SoftwareFor(Physician.Rpps);
        var patientId = await FindOkAsync(lab, person);
        // The silo now keeps the professional's directory entry for its next calls.
        (await ProListAsync(lab, patientId)).Should().NotBeNull();

        await AddProfessionalsAsync(Physician with { FacilityFiness = SiloFactory.HospitalFiness, FacilityName = "Hôpital Saint-Louis" });

        (await lab.GetAsync($"/api/pro/patients/{patientId}/documents")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await HistoryAsync(patient)).Items[0].Reason.Should().Be("Software not of this professional's facility");
        using var hospital = Silo.SoftwareFor(Physician.Rpps, other: true);
        (await ProListAsync(hospital, patientId)).Should().NotBeNull();
        (await HistoryAsync(patient)).Items[0].Facility.Should().Be("Hôpital Saint-Louis");
    }

    [Fact]
    public async Task Masking_a_document_masks_its_earlier_versions_and_a_new_version_stays_masked()
    {
        await AddProfessionalsAsync(Physician, OtherPhysician);
        var (_, patient) = await ActivePatientAsync();
        await GrantAsync(patient, Physician);
        await GrantAsync(patient, OtherPhysician);
        var patientId = (await patient.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("spaceId").GetGuid();
        using var author = await ProAsync(Physician);
        using var reader = await ProAsync(OtherPhysician);
        var path = $"/api/pro/patients/{patientId}/documents";
        var v1 = await UploadOkAsync(author, new { typeCode = "11488-4", title = "Compte rendu v1" }, Samples.Pdf(), "application/pdf", path);
        var v2 = await UploadOkAsync(author, new { typeCode = "11488-4", title = "Compte rendu v2", replaces = v1.Id }, Samples.Pdf(), "application/pdf", path);
        (await ProListAsync(reader, patientId)).Items.Should().ContainSingle(d => d.Id == v2.Id && d.Replaces == null, "a professional gets no ids of other versions");

        (await patient.PostAsync($"/api/me/documents/{v2.Id}/mask", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await ProListAsync(reader, patientId, "?status=Superseded")).Total.Should().Be(0);
        (await reader.GetAsync($"{path}/{v1.Id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await reader.GetAsync($"{path}/{v1.Id}/content")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        var v3 = await UploadOkAsync(author, new { typeCode = "11488-4", title = "Compte rendu v3", replaces = v2.Id }, Samples.Pdf(), "application/pdf", path);
        v3.MaskedFromProfessionals.Should().BeTrue();
        (await ProListAsync(reader, patientId)).Total.Should().Be(0);
        // Replacing someone else's document: not found, whether it exists or not.
        using var foreign = await UploadAsync(reader, new { typeCode = "11488-4", title = "x", replaces = v3.Id }, Samples.Pdf(), "application/pdf", path: path);
        using var missing = await UploadAsync(reader, new { typeCode = "11488-4", title = "x", replaces = Guid.NewGuid() }, Samples.Pdf(), "application/pdf", path: path);
        (await NotFoundShapeAsync(foreign)).Should().Be(await NotFoundShapeAsync(missing));
    }

    [Fact]
    public async Task A_revoked_professional_cannot_release_what_they_sent_and_the_attempt_is_recorded()
    {
        await AddProfessionalsAsync(Physician);
        var (_, patient) = await ActivePatientAsync();
        await GrantAsync(patient, Physician);
        var patientId = (await patient.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("spaceId").GetGuid();
        using var pro = await ProAsync(Physician);
        var held = await UploadOkAsync(pro, new { typeCode = "11502-2", title = "Résultat à annoncer", hiddenFromPatient = true }, Samples.Pdf(), "application/pdf", $"/api/pro/patients/{patientId}/documents");

        (await patient.DeleteAsync($"/api/me/access/professionals/{Physician.Rpps}")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await pro.PostAsync($"/api/pro/patients/{patientId}/documents/{held.Id}/release", null)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await HistoryAsync(patient)).Items[0].Should().Match<MonEspaceSante.Access.AccessHistoryEntry>(e => e.Action == MonEspaceSante.Access.AccessAction.ReleaseDocument && e.Outcome == MonEspaceSante.Access.AccessOutcome.Denied);
        (await ListAsync(patient)).Total.Should().Be(0);
    }

    [Fact]
    public async Task Invalid_requests_about_a_known_and_an_unknown_person_get_the_same_answer()
    {
        await AddProfessionalsAsync(Physician);
        var (person, _) = await ActivePatientAsync();
        var nobody = NewPerson();
        using var pro = await ProAsync(Physician);
        using var software = Silo.Software();

        async Task<string> ShapeAsync(HttpResponseMessage response)
        {
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            return $"{(int)response.StatusCode}|{body.GetProperty("type").GetString()}|{(body.TryGetProperty("detail", out var d) ? d.GetString() : "")}";
        }

        foreach (var reason in new[] { "court", "" })
        {
            using var known = await pro.PostAsJsonAsync("/api/pro/patients/emergency", new { patient = Search(person), reason });
            using var unknown = await pro.PostAsJsonAsync("/api/pro/patients/emergency", new { patient = Search(nobody), reason });
            (await ShapeAsync(known)).Should().Be(await ShapeAsync(unknown)).And.StartWith("400");
        }

        using var knownUpload = await UploadAsync(software, LabReport(person), Samples.Pdf(), "application/pdf", path: "/api/clients/documents");
        using var unknownUpload = await UploadAsync(software, LabReport(nobody), Samples.Pdf(), "application/pdf", path: "/api/clients/documents");
        (await ShapeAsync(knownUpload)).Should().Be(await ShapeAsync(unknownUpload)).And.StartWith("403");
        using var knownBad = await UploadAsync(pro, new { patient = new { nir = person.Nir, birthDate = person.BirthDate }, document = new { title = "" } }, Samples.Pdf(), "application/pdf", path: "/api/clients/documents");
        using var unknownBad = await UploadAsync(pro, new { patient = new { nir = nobody.Nir, birthDate = nobody.BirthDate }, document = new { title = "" } }, Samples.Pdf(), "application/pdf", path: "/api/clients/documents");
        (await ShapeAsync(knownBad)).Should().Be(await ShapeAsync(unknownBad));
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
