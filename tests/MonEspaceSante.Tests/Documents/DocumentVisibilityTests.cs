using Orleans;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MonEspaceSante.Documents;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Documents;

/// <summary>What the patient sees and may do: release, masking, listing, Range, edits, deletion, closure, isolation.</summary>
public sealed class DocumentVisibilityTests : DocumentTestBase
{
    protected override bool AuthoriseLab => true;

    private const string Clients = "/api/clients/documents";

    [Fact]
    public async Task A_document_held_back_is_invisible_until_its_sender_releases_it()
    {
        var (person, patient) = await ActivePatientAsync();
        using var lab = await LabSoftwareAsync();
        var held = await UploadOkAsync(lab, LabReport(person, "Résultat à annoncer", hidden: true), Samples.Cda(), "application/xml", Clients);

        held.VisibleToPatient.Should().BeFalse();
        (await ListAsync(patient)).Total.Should().Be(0);
        (await patient.GetAsync($"/api/me/documents/{held.Id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await patient.GetAsync($"/api/me/documents/{held.Id}/content")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await FeedKindsAsync(patient)).Should().NotContain("document.added", "the notification would reveal the held-back result");

        // Only the software that sent it may release it; the patient cannot, another software cannot.
        using var hospital = await LabSoftwareAsync(other: true);
        var release = new { patient = new { nir = person.Nir, birthDate = person.BirthDate } };
        (await hospital.PostAsJsonAsync($"{Clients}/{held.Id}/release", release)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await patient.PostAsJsonAsync($"{Clients}/{held.Id}/release", release)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        using var released = await lab.PostAsJsonAsync($"{Clients}/{held.Id}/release", release);
        released.StatusCode.Should().Be(HttpStatusCode.OK, await released.Content.ReadAsStringAsync());

        (await ListAsync(patient)).Items.Should().ContainSingle().Which.Id.Should().Be(held.Id);
        (await FeedKindsAsync(patient)).Should().Contain("document.added");
    }

    [Fact]
    public async Task A_document_held_until_a_date_appears_and_is_notified_on_that_date()
    {
        var (person, patient) = await ActivePatientAsync();
        using var lab = await LabSoftwareAsync();
        var releaseAt = Silo.Clock.GetUtcNow().AddDays(3);
        var held = await UploadOkAsync(lab, LabReport(person, hidden: true, releaseAt: releaseAt), Samples.Pdf(), "application/pdf", Clients);

        await Silo.RunJobsAsync();
        (await ListAsync(patient)).Total.Should().Be(0);
        (await FeedKindsAsync(patient)).Should().NotContain("document.added");

        Silo.Clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1));
        await Silo.RunJobsAsync();
        patient.Dispose();
        patient = await LoginAsync(person.Email!);
        (await ListAsync(patient)).Items.Should().ContainSingle().Which.Id.Should().Be(held.Id);
        (await FeedKindsAsync(patient)).Should().ContainSingle(k => k == "document.added");
    }

    [Fact]
    public async Task The_patient_masks_and_unmasks_any_visible_document()
    {
        var (person, patient) = await ActivePatientAsync();
        using var lab = await LabSoftwareAsync();
        var report = await UploadOkAsync(lab, LabReport(person), Samples.Pdf(), "application/pdf", Clients);
        report.MaskedFromProfessionals.Should().BeFalse();

        (await (await patient.PostAsync($"/api/me/documents/{report.Id}/mask", null)).Content.ReadFromJsonAsync<DocumentInfo>(Json.Options))!.MaskedFromProfessionals.Should().BeTrue();
        (await patient.GetFromJsonAsync<DocumentInfo>($"/api/me/documents/{report.Id}", Json.Options))!.MaskedFromProfessionals.Should().BeTrue();
        (await (await patient.PostAsync($"/api/me/documents/{report.Id}/unmask", null)).Content.ReadFromJsonAsync<DocumentInfo>(Json.Options))!.MaskedFromProfessionals.Should().BeFalse();
    }

    [Fact]
    public async Task Lists_filter_sort_by_clinical_date_and_page()
    {
        var (person, patient) = await ActivePatientAsync();
        using var lab = await LabSoftwareAsync();
        var dates = new[] { new DateOnly(2026, 1, 5), new DateOnly(2026, 3, 1), new DateOnly(2025, 12, 24), new DateOnly(2026, 2, 14) };
        foreach (var (date, i) in dates.Select((d, i) => (d, i)))
        {
            await UploadOkAsync(patient, new { category = i % 2 == 0 ? "Prescription" : "BloodGroupCard", title = $"doc {i}", clinicalDate = date }, Samples.Text($"document {i}\n"), "text/plain");
        }

        await UploadOkAsync(lab, LabReport(person), Samples.Pdf(), "application/pdf", Clients);

        var all = await ListAsync(patient);
        all.Total.Should().Be(5);
        all.Items.Select(d => d.ClinicalDate).Should().BeInDescendingOrder();

        (await ListAsync(patient, "?tab=Administrative")).Items.Should().OnlyContain(d => d.Category == DocumentCategory.BloodGroupCard).And.HaveCount(2);
        (await ListAsync(patient, "?category=Prescription")).Total.Should().Be(2);
        (await ListAsync(patient, "?typeCode=11502-2")).Items.Should().ContainSingle().Which.Author.Kind.Should().Be(AuthorKind.Professional);
        (await ListAsync(patient, "?authorKind=Professional")).Total.Should().Be(1);
        (await ListAsync(patient, "?from=2026-01-01&to=2026-02-28")).Items.Select(d => d.ClinicalDate).Should().Equal(new DateOnly(2026, 2, 14), new DateOnly(2026, 1, 5));

        var page1 = await ListAsync(patient, "?limit=2");
        var page2 = await ListAsync(patient, "?limit=2&offset=2");
        var page3 = await ListAsync(patient, "?limit=2&offset=4");
        page1.Items.Concat(page2.Items).Concat(page3.Items).Select(d => d.Id).Should().Equal(all.Items.Select(d => d.Id));

        (await patient.GetAsync("/api/me/documents?limit=0")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await patient.GetAsync("/api/me/documents?from=2026-02-01&to=2026-01-01")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await patient.GetAsync("/api/me/documents?tab=Nope")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Range_requests_return_exactly_the_bytes_asked_for()
    {
        var (_, patient) = await ActivePatientAsync();
        var bytes = Samples.LargePdf(200_000);
        var document = await UploadOkAsync(patient, new { category = "Imaging", title = "IRM" }, bytes, "application/pdf");

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/me/documents/{document.Id}/content");
        request.Headers.Range = new RangeHeaderValue(65_530, 131_080);
        using var response = await patient.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.PartialContent);
        response.Content.Headers.ContentRange!.ToString().Should().Be($"bytes 65530-131080/{bytes.Length}");
        (await response.Content.ReadAsByteArrayAsync()).Should().Equal(bytes[65_530..131_081]);

        using var tail = new HttpRequestMessage(HttpMethod.Get, $"/api/me/documents/{document.Id}/content");
        tail.Headers.Range = new RangeHeaderValue(null, 10);
        using var tailResponse = await patient.SendAsync(tail);
        (await tailResponse.Content.ReadAsByteArrayAsync()).Should().Equal(bytes[^10..]);
    }

    [Fact]
    public async Task The_patient_renames_and_recategorises_own_documents_only()
    {
        var (person, patient) = await ActivePatientAsync();
        var own = await UploadOkAsync(patient, new { category = "Other", title = "scan" }, Samples.Png(), "image/png");
        using var lab = await LabSoftwareAsync();
        var report = await UploadOkAsync(lab, LabReport(person), Samples.Pdf(), "application/pdf", Clients);

        using var renamed = await patient.PatchAsJsonAsync($"/api/me/documents/{own.Id}", new { title = "Carte de groupe sanguin", category = "BloodGroupCard" });
        renamed.StatusCode.Should().Be(HttpStatusCode.OK, await renamed.Content.ReadAsStringAsync());
        var changed = (await renamed.Content.ReadFromJsonAsync<DocumentInfo>(Json.Options))!;
        changed.Title.Should().Be("Carte de groupe sanguin");
        changed.Tab.Should().Be(DocumentTab.Administrative);

        using var refused = await patient.PatchAsJsonAsync($"/api/me/documents/{report.Id}", new { title = "autre" });
        await ShouldBeProblemAsync(refused, HttpStatusCode.Forbidden, "document-read-only");
        using var blank = await patient.PatchAsJsonAsync($"/api/me/documents/{own.Id}", new { title = "  " });
        await ShouldBeProblemAsync(blank, HttpStatusCode.BadRequest, "invalid-request");
    }

    [Fact]
    public async Task Deleting_an_own_upload_removes_it_and_its_content_but_a_professionals_document_stays_in_the_record()
    {
        var (person, patient) = await ActivePatientAsync();
        var own = await UploadOkAsync(patient, new { category = "Other", title = "à jeter" }, Samples.Png(), "image/png");
        using var lab = await LabSoftwareAsync();
        var report = await UploadOkAsync(lab, LabReport(person), Samples.Pdf(), "application/pdf", Clients);
        ContentFileCount().Should().Be(2);

        (await patient.DeleteAsync($"/api/me/documents/{own.Id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await patient.GetAsync($"/api/me/documents/{own.Id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        ContentFileCount().Should().Be(1, "the patient's own upload is really gone");

        (await patient.DeleteAsync($"/api/me/documents/{report.Id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await patient.GetAsync($"/api/me/documents/{report.Id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await ListAsync(patient)).Total.Should().Be(0);
        ContentFileCount().Should().Be(1, "a professional's document stays in the record");
        var grain = Silo.Get<IGrainFactory>();
        var spaceId = (await Silo.Get<MonEspaceSante.Spaces.SpaceDirectory>().FindByNirAsync(MonEspaceSante.Identity.Nir.Parse(person.Nir)))!.Value;
        await using var connection = await Silo.Get<MonEspaceSante.Storage.IDatabase>().OpenAsync();
        (await Dapper.SqlMapper.ExecuteScalarAsync<string>(connection, "select status || ':' || masked from documents where space_id = @id", new { id = spaceId.ToString() }))
            .Should().Be("Deleted:1");
        grain.Should().NotBeNull();
    }

    [Fact]
    public async Task A_closed_space_takes_no_uploads_and_stays_readable()
    {
        var (person, patient) = await ActivePatientAsync();
        var kept = await UploadOkAsync(patient, new { category = "Vaccination", title = "Vaccins" }, Samples.Pdf(), "application/pdf");
        (await patient.PostAsJsonAsync("/api/me/close", new { password = Password })).StatusCode.Should().Be(HttpStatusCode.OK);

        using var upload = await UploadAsync(patient, new { category = "Other", title = "trop tard" }, Samples.Pdf(), "application/pdf");
        await ShouldBeProblemAsync(upload, HttpStatusCode.Conflict, "space-closed");
        using var lab = await LabSoftwareAsync();
        using var fromLab = await UploadAsync(lab, LabReport(person), Samples.Pdf(), "application/pdf", path: Clients);
        // To a professional, a closed space looks like no space at all: the same answer as a
        // person the platform does not know.
        using var forStranger = await UploadAsync(lab, LabReport(NewPerson()), Samples.Pdf(), "application/pdf", path: Clients);
        var unknown = await ShouldBeProblemAsync(forStranger, HttpStatusCode.NotFound, "not-found");
        (await ShouldBeProblemAsync(fromLab, HttpStatusCode.NotFound, "not-found")).Should().BeEquivalentTo(unknown);
        using var mask = await patient.PostAsync($"/api/me/documents/{kept.Id}/mask", null);
        await ShouldBeProblemAsync(mask, HttpStatusCode.Conflict, "space-closed");

        (await ListAsync(patient)).Items.Should().ContainSingle().Which.Id.Should().Be(kept.Id);
        (await patient.GetByteArrayAsync($"/api/me/documents/{kept.Id}/content")).Should().Equal(Samples.Pdf());
        ContentFileCount().Should().Be(1);
    }

    [Fact]
    public async Task Another_patient_gets_the_same_404_for_an_existing_document_as_for_none()
    {
        var (_, alice) = await ActivePatientAsync();
        var (_, bob) = await ActivePatientAsync();
        var document = await UploadOkAsync(alice, new { category = "Other", title = "privé" }, Samples.Pdf(), "application/pdf");

        foreach (var id in new[] { document.Id, Guid.NewGuid() })
        {
            foreach (var path in new[] { $"/api/me/documents/{id}", $"/api/me/documents/{id}/content" })
            {
                using var response = await bob.GetAsync(path);
                await ShouldBeProblemAsync(response, HttpStatusCode.NotFound, "not-found");
            }

            (await bob.PostAsync($"/api/me/documents/{id}/mask", null)).StatusCode.Should().Be(HttpStatusCode.NotFound);
            (await bob.DeleteAsync($"/api/me/documents/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        }

        (await Client.GetAsync("/api/me/documents")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await alice.GetByteArrayAsync($"/api/me/documents/{document.Id}/content")).Should().Equal(Samples.Pdf());
    }

    [Fact]
    public async Task Software_must_name_the_patient_by_nir_and_birth_date_and_gets_404_otherwise()
    {
        var (person, _) = await ActivePatientAsync();
        using var lab = await LabSoftwareAsync();

        using var wrongDate = await UploadAsync(lab, LabReport(person, birthDate: person.BirthDate.AddDays(1)), Samples.Pdf(), "application/pdf", path: Clients);
        await ShouldBeProblemAsync(wrongDate, HttpStatusCode.NotFound, "not-found");
        var stranger = NewPerson();
        using var unknown = await UploadAsync(lab, LabReport(stranger), Samples.Pdf(), "application/pdf", path: Clients);
        await ShouldBeProblemAsync(unknown, HttpStatusCode.NotFound, "not-found");
        // The same answer, trace id aside.
        static async Task<string> Without(HttpResponseMessage r) =>
            string.Join(',', JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.EnumerateObject().Where(p => p.Name != "traceId").Select(p => p.ToString()));
        (await Without(wrongDate)).Should().Be(await Without(unknown));

        ContentFileCount().Should().Be(0);

        // Without a declared author, the document is the professional's the software acts for.
        var unsigned = await UploadOkAsync(lab, new { patient = new { nir = person.Nir, birthDate = person.BirthDate }, document = new { category = "LabResult", title = "x" } }, Samples.Pdf(), "application/pdf", Clients);
        unsigned.Author.Should().Be(new DocumentAuthor(AuthorKind.Professional, LabBiologist.Rpps, "Claire MARTIN"));
        using var badAuthor = await UploadAsync(lab, new { patient = new { nir = person.Nir, birthDate = person.BirthDate }, document = new { category = "LabResult", title = "x", author = new { kind = "Facility", id = "12" } } }, Samples.Pdf(), "application/pdf", path: Clients);
        await ShouldBeProblemAsync(badAuthor, HttpStatusCode.BadRequest, "invalid-request");
    }

    [Fact]
    public async Task A_flipped_byte_in_stored_content_gives_an_error_not_garbage()
    {
        var (_, patient) = await ActivePatientAsync();
        var document = await UploadOkAsync(patient, new { category = "Other", title = "intègre" }, Samples.Text(), "text/plain");
        var path = Directory.GetFiles(ContentPath, "*", SearchOption.AllDirectories).Single();
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[^5] ^= 0x40;
        await File.WriteAllBytesAsync(path, bytes);

        using var response = await patient.GetAsync($"/api/me/documents/{document.Id}/content");
        await ShouldBeProblemAsync(response, HttpStatusCode.InternalServerError, "content-integrity-failure");
    }

    [Fact]
    public async Task The_archive_holds_every_document_and_the_purge_removes_their_content()
    {
        var (person, patient) = await ActivePatientAsync();
        var v1 = await UploadOkAsync(patient, new { category = "Other", title = "v1" }, Samples.Text("version 1\n"), "text/plain");
        var v2 = await UploadOkAsync(patient, new { category = "Other", title = "v2", replaces = v1.Id }, Samples.Text("version 2\n"), "text/plain");
        using var lab = await LabSoftwareAsync();
        var report = await UploadOkAsync(lab, LabReport(person), Samples.Cda(), "application/xml", Clients);
        var held = await UploadOkAsync(lab, LabReport(person, "pas encore", hidden: true), Samples.Pdf(), "application/pdf", Clients);

        using var archive = await patient.GetAsync("/api/me/archive");
        archive.StatusCode.Should().Be(HttpStatusCode.OK);
        using (var zip = new System.IO.Compression.ZipArchive(await archive.Content.ReadAsStreamAsync()))
        {
            var files = zip.Entries.Where(e => e.FullName.StartsWith("documents/", StringComparison.Ordinal)).ToList();
            files.Select(e => e.FullName).Should().BeEquivalentTo(
                $"documents/{v1.ClinicalDate:yyyy-MM-dd}-{v1.Id}.txt", $"documents/{v2.ClinicalDate:yyyy-MM-dd}-{v2.Id}.txt", $"documents/2026-10-30-{report.Id}.xml");
            using var reader = new StreamReader(zip.GetEntry($"documents/{v2.ClinicalDate:yyyy-MM-dd}-{v2.Id}.txt")!.Open());
            (await reader.ReadToEndAsync()).Should().Be("version 2\n");
            zip.Entries.Should().NotContain(e => e.FullName.Contains(held.Id.ToString()), "a held-back document is not the patient's to see yet");
        }

        (await patient.PostAsJsonAsync("/api/me/close", new { password = Password })).StatusCode.Should().Be(HttpStatusCode.OK);
        Silo.Clock.Advance(TimeSpan.FromDays((365 * 10) + 5));
        (await Silo.Get<MonEspaceSante.Spaces.LifecycleScheduler>().RunOnceAsync()).Purged.Should().Be(1);
        ContentFileCount().Should().Be(4, "the sweeper removes the content, the purge already destroyed the data key");
        await Silo.Get<MonEspaceSante.Content.ContentOrphans>().SweepAsync(CancellationToken.None);
        ContentFileCount().Should().Be(0);
    }

    [Fact]
    public async Task Uploads_racing_a_closure_land_before_it_or_are_refused()
    {
        var (person, patient) = await ActivePatientAsync();
        using var lab = await LabSoftwareAsync();
        var uploads = Enumerable.Range(0, 12).Select(async i =>
        {
            using var response = await UploadAsync(lab, LabReport(person, $"bilan {i}"), Samples.Pdf(), "application/pdf", path: Clients);
            return response.StatusCode;
        }).ToList();
        // The closure goes in once one upload has landed, with the others still on their way.
        (await await Task.WhenAny(uploads)).Should().Be(HttpStatusCode.Created);
        using var close = await patient.PostAsJsonAsync("/api/me/close", new { password = Password });
        var outcomes = await Task.WhenAll(uploads);

        close.StatusCode.Should().Be(HttpStatusCode.OK);
        // A refused upload looks like one for an unknown patient: software learns nothing of the closure.
        outcomes.Should().OnlyContain(s => s == HttpStatusCode.Created || s == HttpStatusCode.NotFound);
        var feed = (await patient.GetFromJsonAsync<JsonElement>("/api/me/notifications?limit=500")).GetProperty("items").EnumerateArray().ToList();
        var closedAt = feed.Single(n => n.GetProperty("kind").GetString() == "account.closed").GetProperty("sequence").GetInt64();
        var added = feed.Where(n => n.GetProperty("kind").GetString() == "document.added").Select(n => n.GetProperty("sequence").GetInt64()).ToList();
        added.Should().HaveCount(outcomes.Count(s => s == HttpStatusCode.Created));
        added.Should().OnlyContain(seq => seq < closedAt, "no document may be recorded after the space was closed");
        (await ListAsync(patient)).Total.Should().Be(added.Count);
        ContentFileCount().Should().Be(added.Count, "refused uploads leave no content");
    }

    [Fact]
    public async Task A_closure_waits_for_a_document_being_recorded()
    {
        var (_, patient) = await ActivePatientAsync();

        // The upload's commit held inside the space's grain, as a slow commit would be.
        var hold = Silo.Get<GrainCallGate>().Arm(nameof(MonEspaceSante.Documents.IPatientDocumentsGrain.CommitUploadAsync));
        var uploading = UploadAsync(patient, new { category = "Other", title = "Compte rendu" }, Samples.Pdf(), "application/pdf");
        await hold.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var closing = patient.PostAsJsonAsync("/api/me/close", new { password = Password });
        (await Task.WhenAny(closing, Task.Delay(1500))).Should().NotBeSameAs(closing, "the closure must wait for the document being recorded");

        hold.Released.SetResult();
        using (var uploaded = await uploading)
        {
            uploaded.StatusCode.Should().Be(HttpStatusCode.Created);
        }

        using var closed = await closing;
        closed.StatusCode.Should().Be(HttpStatusCode.OK);
        var kinds = await FeedKindsAsync(patient);
        kinds.IndexOf("document.added").Should().BeLessThan(kinds.IndexOf("account.closed"), "the document was recorded before the closure");
    }

    private static async Task<List<string>> FeedKindsAsync(HttpClient patient)
    {
        var feed = await patient.GetFromJsonAsync<JsonElement>("/api/me/notifications");
        return feed.GetProperty("items").EnumerateArray().Select(n => n.GetProperty("kind").GetString()!).ToList();
    }
}
