using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MonEspaceSante.Access;
using MonEspaceSante.Documents;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Access;

/// <summary>The patient's controls and what they let professionals reach (docs/access.md).</summary>
public sealed class ProfessionalAccessTests : AccessTestBase
{
    [Fact]
    public async Task An_authorised_physician_finds_lists_reads_and_downloads_and_each_access_is_recorded_and_notified()
    {
        await AddProfessionalsAsync(Physician);
        var (person, patient) = await ActivePatientAsync();
        var lab = await OwnDocumentAsync(patient, DocumentCategory.LabResult, "Bilan");
        await GrantAsync(patient, Physician);
        using var pro = await ProAsync(Physician);

        var patientId = await FindOkAsync(pro, person);
        var list = await ProListAsync(pro, patientId);
        list.Items.Select(d => d.Id).Should().Equal(lab.Id);
        (await pro.GetAsync($"/api/pro/patients/{patientId}/documents/{lab.Id}")).StatusCode.Should().Be(HttpStatusCode.OK);
        using var download = await pro.GetAsync($"/api/pro/patients/{patientId}/documents/{lab.Id}/content");
        download.StatusCode.Should().Be(HttpStatusCode.OK);
        (await download.Content.ReadAsByteArrayAsync()).Should().Equal(Samples.Pdf());
        download.Headers.CacheControl!.NoStore.Should().BeTrue();

        var history = await HistoryAsync(patient);
        history.Items.Select(e => e.Action).Should().Equal(AccessAction.DownloadDocument, AccessAction.ReadDocument, AccessAction.ListDocuments, AccessAction.FindPatient);
        history.Items.Should().OnlyContain(e => e.Outcome == AccessOutcome.Allowed && e.Rpps == Physician.Rpps && e.Name == "Claire Martin" && e.Facility == "Cabinet Martin" && !e.Emergency);
        history.Items[0].Target.Should().Be(lab.Id.ToString());

        var notifications = await NotificationsAsync(patient);
        var accesses = notifications.Where(n => n.GetProperty("kind").GetString() == AccessGate.AllowedKind).ToList();
        accesses.Should().HaveCount(4);
        // The patient is told who accessed and how, never what the document says.
        accesses.Should().OnlyContain(n => !n.GetRawText().Contains("Bilan", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_professional_with_every_identifier_but_no_grant_gets_the_same_404_as_for_nobody_and_the_attempt_is_recorded()
    {
        await AddProfessionalsAsync(Physician);
        var (person, patient) = await ActivePatientAsync();
        using var pro = await ProAsync(Physician);
        var nobody = NewPerson();

        using var refused = await FindAsync(pro, person);
        using var unknown = await FindAsync(pro, nobody);
        (await NotFoundShapeAsync(refused)).Should().Be(await NotFoundShapeAsync(unknown));

        var entry = (await HistoryAsync(patient)).Items.Should().ContainSingle().Subject;
        entry.Outcome.Should().Be(AccessOutcome.Denied);
        entry.Action.Should().Be(AccessAction.FindPatient);
        entry.Reason.Should().Be("No authorisation");
        (await NotificationsAsync(patient)).Should().Contain(n => n.GetProperty("kind").GetString() == AccessGate.DeniedKind);
    }

    [Fact]
    public async Task Identity_traits_must_match_the_INS()
    {
        await AddProfessionalsAsync(Physician);
        var (person, patient) = await ActivePatientAsync();
        await GrantAsync(patient, Physician);
        using var pro = await ProAsync(Physician);

        (await FindAsync(pro, person, birthName: "SOMEONE")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        using var wrongDate = await pro.PostAsJsonAsync("/api/pro/patients/search", Search(person, birthDate: person.BirthDate.AddDays(1)));
        wrongDate.StatusCode.Should().Be(HttpStatusCode.NotFound);
        // Case and accents do not count.
        (await FindAsync(pro, person, birthName: person.BirthName.ToLowerInvariant())).StatusCode.Should().Be(HttpStatusCode.OK);
        using var malformed = await pro.PostAsJsonAsync("/api/pro/patients/search", new { ins = "123", birthDate = person.BirthDate, birthName = "X" });
        await ShouldBeProblemAsync(malformed, HttpStatusCode.BadRequest, "invalid-request");

        (await HistoryAsync(patient, "?outcome=Denied")).Items.Should().HaveCount(2).And.OnlyContain(e => e.Reason == "Identity details did not match");
    }

    [Fact]
    public async Task A_pharmacist_sees_their_professions_categories_for_three_days_and_an_extension_restores_access()
    {
        await AddProfessionalsAsync(Pharmacist);
        var (person, patient) = await ActivePatientAsync();
        var prescription = await OwnDocumentAsync(patient, DocumentCategory.Prescription, "Ordonnance");
        var imaging = await OwnDocumentAsync(patient, DocumentCategory.Imaging, "IRM");
        await GrantAsync(patient, Pharmacist);
        var settings = await patient.GetFromJsonAsync<AccessSettings>("/api/me/access", Json.Options);
        var grant = settings!.Professionals.Should().ContainSingle().Subject;
        grant.ExpiresAt.Should().Be(Silo.Clock.GetUtcNow().AddDays(3));
        grant.DefaultCategories.Should().BeTrue();
        grant.Categories.Should().BeEquivalentTo([DocumentCategory.Prescription, DocumentCategory.LabResult, DocumentCategory.Vaccination]);
        var pro = await ProAsync(Pharmacist);
        var patientId = await FindOkAsync(pro, person);

        var list = await ProListAsync(pro, patientId);
        list.Items.Select(d => d.Id).Should().Equal(prescription.Id);
        list.Total.Should().Be(1);
        using (var outside = await pro.GetAsync($"/api/pro/patients/{patientId}/documents/{imaging.Id}"))
        {
            outside.StatusCode.Should().Be(HttpStatusCode.NotFound);
        }

        (await HistoryAsync(patient)).Items[0].Should().Match<AccessHistoryEntry>(e => e.Outcome == AccessOutcome.Denied && e.Reason == "Document not available to this professional");

        Silo.Clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1));
        pro.Dispose();
        pro = await ProAsync(Pharmacist);
        patient.Dispose();
        patient = await LoginAsync(person.Email!);
        (await pro.GetAsync($"/api/pro/patients/{patientId}/documents")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await HistoryAsync(patient)).Items[0].Reason.Should().Be("Authorisation expired");

        using var extend = await patient.PostAsJsonAsync($"/api/me/access/professionals/{Pharmacist.Rpps}/extend", new { days = 2 });
        extend.StatusCode.Should().Be(HttpStatusCode.OK, await extend.Content.ReadAsStringAsync());
        (await ProListAsync(pro, patientId)).Items.Should().ContainSingle();
        pro.Dispose();
    }

    [Fact]
    public async Task The_patient_chooses_categories_and_a_revocation_applies_to_the_next_request()
    {
        await AddProfessionalsAsync(Nurse);
        var (person, patient) = await ActivePatientAsync();
        var vaccination = await OwnDocumentAsync(patient, DocumentCategory.Vaccination, "Vaccins");
        await OwnDocumentAsync(patient, DocumentCategory.Prescription, "Ordonnance");
        await GrantAsync(patient, Nurse, new { status = "Authorised", categories = new[] { "Vaccination" }, days = 0 });
        using var pro = await ProAsync(Nurse);
        var patientId = await FindOkAsync(pro, person);

        (await ProListAsync(pro, patientId)).Items.Select(d => d.Id).Should().Equal(vaccination.Id);

        (await patient.DeleteAsync($"/api/me/access/professionals/{Nurse.Rpps}")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await pro.GetAsync($"/api/pro/patients/{patientId}/documents")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await patient.DeleteAsync($"/api/me/access/professionals/{Nurse.Rpps}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Masked_documents_reach_the_treating_doctor_only_never_through_lists_counts_reads_or_downloads()
    {
        await AddProfessionalsAsync(Physician, OtherPhysician);
        var (person, patient) = await ActivePatientAsync();
        var open = await OwnDocumentAsync(patient, DocumentCategory.ConsultationReport, "Consultation");
        var masked = await OwnDocumentAsync(patient, DocumentCategory.ConsultationReport, "Consultation psychiatrique", masked: true);
        await GrantAsync(patient, OtherPhysician);
        (await patient.PutAsJsonAsync("/api/me/access/treating-doctor", new { rpps = Physician.Rpps })).StatusCode.Should().Be(HttpStatusCode.OK);

        using var other = await ProAsync(OtherPhysician);
        var patientId = await FindOkAsync(other, person);
        var list = await ProListAsync(other, patientId);
        list.Items.Select(d => d.Id).Should().Equal(open.Id);
        list.Total.Should().Be(1);
        (await ProListAsync(other, patientId, "?category=ConsultationReport")).Total.Should().Be(1);
        (await other.GetAsync($"/api/pro/patients/{patientId}/documents/{masked.Id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await other.GetAsync($"/api/pro/patients/{patientId}/documents/{masked.Id}/content")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        using var treating = await ProAsync(Physician);
        var all = await ProListAsync(treating, patientId);
        all.Items.Select(d => d.Id).Should().BeEquivalentTo([open.Id, masked.Id]);
        (await treating.GetAsync($"/api/pro/patients/{patientId}/documents/{masked.Id}/content")).StatusCode.Should().Be(HttpStatusCode.OK);

        var profile = await treating.GetFromJsonAsync<PatientProfile>($"/api/pro/patients/{patientId}/profile", Json.Options);
        profile!.TreatingDoctorRpps.Should().Be(Physician.Rpps);
        profile.Access.SeesMasked.Should().BeTrue();

        // Nothing about the masked document reaches the patient's feed through professionals' accesses either.
        (await NotificationsAsync(patient)).Where(n => n.GetProperty("kind").GetString()!.StartsWith("access.", StringComparison.Ordinal))
            .Should().OnlyContain(n => !n.GetRawText().Contains("psychiatrique", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_blocked_professional_gets_nothing_emergency_included_and_loses_the_treating_doctor_role()
    {
        await AddProfessionalsAsync(Physician);
        var (person, patient) = await ActivePatientAsync();
        (await patient.PutAsJsonAsync("/api/me/access/treating-doctor", new { rpps = Physician.Rpps })).StatusCode.Should().Be(HttpStatusCode.OK);
        await GrantAsync(patient, Physician, new { status = "Blocked" });
        var settings = await patient.GetFromJsonAsync<AccessSettings>("/api/me/access", Json.Options);
        settings!.TreatingDoctor.Should().BeNull();
        using var pro = await ProAsync(Physician);

        (await FindAsync(pro, person)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        using var emergency = await pro.PostAsJsonAsync("/api/pro/patients/emergency", new { patient = Search(person), reason = "Patient inconscient aux urgences" });
        emergency.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await HistoryAsync(patient)).Items.Should().HaveCount(2).And.OnlyContain(e => e.Outcome == AccessOutcome.Denied && e.Reason == "Blocked by you");
        (await patient.PutAsJsonAsync("/api/me/access/treating-doctor", new { rpps = Physician.Rpps })).StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Break_glass_needs_a_reason_lasts_24_hours_never_shows_masked_documents_and_is_flagged_and_notified()
    {
        await AddProfessionalsAsync(OtherPhysician);
        var (person, patient) = await ActivePatientAsync();
        var open = await OwnDocumentAsync(patient, DocumentCategory.BloodGroupCard, "Carte de groupe sanguin");
        var masked = await OwnDocumentAsync(patient, DocumentCategory.ConsultationReport, "Masqué", masked: true);
        using var pro = await ProAsync(OtherPhysician);

        using (var noReason = await pro.PostAsJsonAsync("/api/pro/patients/emergency", new { patient = Search(person), reason = "" }))
        {
            await ShouldBeProblemAsync(noReason, HttpStatusCode.BadRequest, "invalid-request");
        }

        using var opened = await pro.PostAsJsonAsync("/api/pro/patients/emergency", new { patient = Search(person), reason = "Patient inconscient aux urgences" });
        opened.StatusCode.Should().Be(HttpStatusCode.OK, await opened.Content.ReadAsStringAsync());
        var match = (await opened.Content.ReadFromJsonAsync<PatientMatch>(Json.Options))!;
        match.Access.Emergency.Should().BeTrue();
        match.Access.Until.Should().Be(Silo.Clock.GetUtcNow().AddHours(24));

        var list = await ProListAsync(pro, match.PatientId);
        list.Items.Select(d => d.Id).Should().Equal(open.Id);
        list.Total.Should().Be(1);

        // A masked document asked for by its id, under the emergency access: refused as absent,
        // and the refusals are emergency entries too, so the patient's emergency filter shows them.
        (await pro.GetAsync($"/api/pro/patients/{match.PatientId}/documents/{masked.Id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await pro.GetAsync($"/api/pro/patients/{match.PatientId}/documents/{masked.Id}/content")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        var history = await HistoryAsync(patient, "?emergency=true");
        history.Items.Select(e => (e.Action, e.Outcome)).Should().Equal(
            (AccessAction.DownloadDocument, AccessOutcome.Denied),
            (AccessAction.ReadDocument, AccessOutcome.Denied),
            (AccessAction.ListDocuments, AccessOutcome.Allowed),
            (AccessAction.EmergencyAccess, AccessOutcome.Allowed));
        history.Items.Should().OnlyContain(e => e.Emergency);
        history.Items[3].Reason.Should().Be("Patient inconscient aux urgences");
        (await HistoryAsync(patient, "?emergency=false")).Items.Should().NotContain(e => e.Rpps == OtherPhysician.Rpps, "nothing done under the emergency access is outside the emergency filter");
        (await NotificationsAsync(patient)).Count(n => n.GetProperty("kind").GetString() == AccessGate.EmergencyKind).Should().Be(2);
        (await patient.GetFromJsonAsync<AccessSettings>("/api/me/access", Json.Options))!.ActiveEmergencyAccesses.Should().ContainSingle(e => e.Rpps == OtherPhysician.Rpps);

        Silo.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));
        using var later = await ProAsync(OtherPhysician);
        (await later.GetAsync($"/api/pro/patients/{match.PatientId}/documents")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Break_glass_is_refused_when_the_patient_opted_out()
    {
        await AddProfessionalsAsync(OtherPhysician);
        var (person, patient) = await ActivePatientAsync();
        (await patient.PutAsJsonAsync("/api/me/access/emergency", new { optOut = true })).StatusCode.Should().Be(HttpStatusCode.OK);
        using var pro = await ProAsync(OtherPhysician);

        using var refused = await pro.PostAsJsonAsync("/api/pro/patients/emergency", new { patient = Search(person), reason = "Patient inconscient aux urgences" });
        refused.StatusCode.Should().Be(HttpStatusCode.NotFound);
        var entry = (await HistoryAsync(patient)).Items.Should().ContainSingle().Subject;
        entry.Should().Match<AccessHistoryEntry>(e => e.Emergency && e.Outcome == AccessOutcome.Denied && e.Reason == "You opted out of emergency access");
    }

    [Fact]
    public async Task An_authorised_professional_adds_a_document_an_unauthorised_one_cannot_and_none_may_mask()
    {
        await AddProfessionalsAsync(Physician, OtherPhysician);
        var (_, patient) = await ActivePatientAsync();
        await GrantAsync(patient, Physician);
        var patientId = (await patient.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("spaceId").GetGuid();
        using var pro = await ProAsync(Physician);
        using var stranger = await ProAsync(OtherPhysician);
        var metadata = new { typeCode = "11488-4", title = "Compte rendu", clinicalDate = new DateOnly(2026, 10, 30) };

        var added = await UploadOkAsync(pro, metadata, Samples.Pdf(), "application/pdf", $"/api/pro/patients/{patientId}/documents");
        added.Author.Should().Be(new DocumentAuthor(AuthorKind.Professional, Physician.Rpps, "Claire Martin"));
        (await ListAsync(patient)).Items.Should().ContainSingle(d => d.Id == added.Id);

        var files = ContentFileCount();
        using (var refused = await UploadAsync(stranger, metadata, Samples.Pdf(), "application/pdf", path: $"/api/pro/patients/{patientId}/documents"))
        {
            refused.StatusCode.Should().Be(HttpStatusCode.NotFound);
        }

        using (var masking = await UploadAsync(pro, new { typeCode = "11488-4", title = "Masqué", maskedFromProfessionals = true }, Samples.Pdf(), "application/pdf", path: $"/api/pro/patients/{patientId}/documents"))
        {
            await ShouldBeProblemAsync(masking, HttpStatusCode.BadRequest, "invalid-request");
        }

        ContentFileCount().Should().Be(files);
        (await ListAsync(patient)).Total.Should().Be(1);
        (await HistoryAsync(patient, "?action=AddDocument")).Items.Should().Contain(e => e.Rpps == OtherPhysician.Rpps && e.Outcome == AccessOutcome.Denied);
        // The patient's own routes are not a professional's.
        (await pro.PostAsync($"/api/me/documents/{added.Id}/mask", null)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_patients_controls_reject_bad_input_and_change_nothing()
    {
        await AddProfessionalsAsync(Pharmacist, Nurse);
        var (_, patient) = await ActivePatientAsync();

        await ShouldBeProblemAsync(await patient.PutAsJsonAsync("/api/me/access/professionals/12345678901", new { status = "Authorised" }), HttpStatusCode.BadRequest, "invalid-request");
        await ShouldBeProblemAsync(await patient.PutAsJsonAsync("/api/me/access/professionals/10005000004", new { status = "Authorised" }), HttpStatusCode.NotFound, "not-found");
        await ShouldBeProblemAsync(await patient.PutAsJsonAsync($"/api/me/access/professionals/{Nurse.Rpps}", new { status = "Authorised", categories = Array.Empty<string>() }), HttpStatusCode.BadRequest, "invalid-request");
        await ShouldBeProblemAsync(await patient.PutAsJsonAsync($"/api/me/access/professionals/{Nurse.Rpps}", new { status = "Blocked", days = 3 }), HttpStatusCode.BadRequest, "invalid-request");
        await ShouldBeProblemAsync(await patient.PutAsJsonAsync($"/api/me/access/professionals/{Nurse.Rpps}", new { status = "Authorised", days = -1 }), HttpStatusCode.BadRequest, "invalid-request");
        await ShouldBeProblemAsync(await patient.PutAsJsonAsync("/api/me/access/treating-doctor", new { rpps = Pharmacist.Rpps }), HttpStatusCode.BadRequest, "invalid-request");
        await GrantAsync(patient, Nurse, new { status = "Authorised", days = 0 });
        await ShouldBeProblemAsync(await patient.PostAsJsonAsync($"/api/me/access/professionals/{Nurse.Rpps}/extend", new { days = 3 }), HttpStatusCode.Conflict, "invalid-state");

        var settings = await patient.GetFromJsonAsync<AccessSettings>("/api/me/access", Json.Options);
        settings!.Professionals.Should().ContainSingle().Which.ExpiresAt.Should().BeNull();
        settings.TreatingDoctor.Should().BeNull();
    }
}
