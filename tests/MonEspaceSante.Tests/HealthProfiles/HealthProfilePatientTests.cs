using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MonEspaceSante.HealthProfiles;
using MonEspaceSante.Identity;
using MonEspaceSante.Pdf;
using MonEspaceSante.Spaces;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.HealthProfiles;

/// <summary>The patient's own health profile: each section, validation, idempotency, versions, the PDF, a closed space (docs/health-profile.md).</summary>
public sealed class HealthProfilePatientTests : HealthProfileTestBase
{
    [Fact]
    public async Task A_patient_fills_every_section_reads_it_back_changes_and_removes_entries()
    {
        await AddProfessionalsAsync(Physician);
        var (_, patient) = await ActivePatientAsync();
        (await ProfileAsync(patient)).Should().Match<HealthProfileView>(p => Count(p) == 0 && p.Wishes.Wishes.OrganDonation == OrganDonationChoice.NotStated);

        await FillAsync(patient);
        var profile = await ProfileAsync(patient);
        profile.History.Should().ContainSingle().Which.Item.Should().Be(new MedicalHistoryItem(MedicalHistoryKind.Illness, "Diabète de type 2", new DateOnly(2019, 6, 1), null, null));
        profile.Treatments.Should().ContainSingle().Which.Item.Medication.Should().Be("Metformine 500 mg");
        profile.Allergies.Should().ContainSingle().Which.Item.Severity.Should().Be(AllergySeverity.Severe);
        profile.FamilyHistory.Should().ContainSingle().Which.Item.Condition.Should().Be("Cancer du sein");
        profile.Vaccinations.Should().ContainSingle().Which.Item.Lot.Should().Be("AB1234");
        profile.Measurements.Should().ContainSingle().Which.Item.Should().Be(new MeasurementItem(MeasurementKind.BloodPressure, 128, 82, "mmHg", new DateOnly(2024, 3, 15), null));
        profile.Contacts.Should().ContainSingle().Which.Item.Phone.Should().Be("+33 6 12 34 56 78");
        // A follower is named from the professionals directory.
        profile.Followers.Should().ContainSingle().Which.Item.Should().Match<FollowerItem>(f => f.Name == "Claire Martin" && f.Profession == "Médecin" && f.Role == "Médecin traitant");
        profile.Wishes.Wishes.Should().Be(new HealthWishes(OrganDonationChoice.Accepts, "Pas d'acharnement thérapeutique.", null));
        profile.History[0].Author.Should().Be(HealthEntryAuthor.Patient);
        profile.History[0].Id.Should().NotBeEmpty();

        var allergy = profile.Allergies[0];
        using (var changed = await patient.PutAsJsonAsync($"{Me}/allergies/{allergy.Id}", new { allergen = "Amoxicilline", severity = "Moderate" }))
        {
            changed.StatusCode.Should().Be(HttpStatusCode.OK, await changed.Content.ReadAsStringAsync());
            changed.Headers.ETag!.Tag.Should().Be("\"2\"");
        }

        (await patient.DeleteAsync($"{Me}/contacts/{profile.Contacts[0].Id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        // An entry is removed from its own section only.
        (await patient.DeleteAsync($"{Me}/contacts/{profile.History[0].Id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var after = await ProfileAsync(patient);
        after.Allergies.Should().ContainSingle().Which.Should().Match<HealthEntry<AllergyItem>>(a => a.Item.Allergen == "Amoxicilline" && a.Version == 2 && a.AddedAt == allergy.AddedAt);
        after.Contacts.Should().BeEmpty();
        after.History.Should().ContainSingle();
    }

    [Fact]
    public async Task Invalid_entries_are_refused_with_a_problem_naming_each_field_and_nothing_changes()
    {
        var (_, patient) = await ActivePatientAsync();
        await AddOkAsync<AllergyItem>(patient, $"{Me}/allergies", new { allergen = "Arachide" });
        var before = await ProfileAsync(patient);
        var tomorrow = Today.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        async Task<string?> RefusedAsync(string path, object body)
        {
            using var response = await PostAsync(patient, path, body);
            return (await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, "invalid-request")).Detail;
        }

        (await RefusedAsync($"{Me}/measurements", new { kind = "Weight", value = 72.5, unit = "mmHg", date = "2025-01-02" })).Should().Contain("unit for Weight must be one of: kg, g");
        (await RefusedAsync($"{Me}/measurements", new { kind = "Height", value = 180, unit = "cm", date = tomorrow })).Should().Contain("not in the future");
        (await RefusedAsync($"{Me}/measurements", new { kind = "Height", value = 1800, unit = "cm", date = "2025-01-02" })).Should().Contain("between 20 and 260");
        (await RefusedAsync($"{Me}/measurements", new { kind = "BloodPressure", value = 80, diastolic = 120, unit = "mmHg", date = "2025-01-02" })).Should().Contain("diastolic must be lower");
        (await RefusedAsync($"{Me}/measurements", new { kind = "Weight", value = 70, diastolic = 60, unit = "kg", date = "2025-01-02" })).Should().Contain("diastolic is only for BloodPressure");
        (await RefusedAsync($"{Me}/vaccinations", new { vaccine = "" })).Should().Contain("vaccine is required").And.Contain("date is required");
        (await RefusedAsync($"{Me}/history", new { kind = "Illness", label = new string('x', 201) })).Should().Contain("label is at most 200 characters");
        (await RefusedAsync($"{Me}/history", new { label = "Appendicite", startDate = "2010-05-01", endDate = "2010-04-01" })).Should().Contain("kind is required").And.Contain("endDate must not be before startDate");
        (await RefusedAsync($"{Me}/allergies", new { allergen = "Latex\u0007" })).Should().Contain("one line");
        (await RefusedAsync($"{Me}/allergies", new { allergen = "Latex", note = new string('n', 1001) })).Should().Contain("note is at most 1000 characters");
        (await RefusedAsync($"{Me}/contacts", new { name = "Paul", phone = "call me" })).Should().Contain("phone must be 4 to 15 digits");
        (await RefusedAsync($"{Me}/followers", new { rpps = "12345678901" })).Should().Contain("rpps must be 11 digits with a valid check digit");
        (await RefusedAsync($"{Me}/followers", new { rpps = Nurse.Rpps })).Should().Contain("not in the professionals directory");
        (await RefusedAsync($"{Me}/allergies", new { allergen = "Latex", colour = "red" })).Should().Contain("Unknown field 'colour'");
        (await RefusedAsync($"{Me}/allergies", new { allergen = "Latex", severity = "Deadly" })).Should().NotBeNullOrEmpty();
        using (var change = await patient.PutAsJsonAsync($"{Me}/allergies/{before.Allergies[0].Id}", new { allergen = " ", since = tomorrow }))
        {
            (await ShouldBeProblemAsync(change, HttpStatusCode.BadRequest, "invalid-request")).Detail.Should().Contain("allergen is required").And.Contain("since must be");
        }

        using (var ifMatch = new HttpRequestMessage(HttpMethod.Put, $"{Me}/allergies/{before.Allergies[0].Id}") { Content = JsonContent.Create(new { allergen = "Noix" }) })
        {
            ifMatch.Headers.TryAddWithoutValidation("If-Match", "\"two\"");
            (await ShouldBeProblemAsync(await patient.SendAsync(ifMatch), HttpStatusCode.BadRequest, "invalid-request")).Detail.Should().Contain("If-Match");
        }

        using (var wishes = await patient.PutAsJsonAsync($"{Me}/wishes", new { advanceDirectives = new string('d', 10_001) }))
        {
            (await ShouldBeProblemAsync(wishes, HttpStatusCode.BadRequest, "invalid-request")).Detail.Should().Contain("advanceDirectives is at most 10000 characters");
        }

        (await ProfileAsync(patient)).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task Sections_are_bounded_and_the_problem_says_so()
    {
        var (_, patient) = await ActivePatientAsync();
        for (var i = 0; i < HealthProfileLimits.EntriesPerSection; i++)
        {
            await AddOkAsync<FamilyHistoryItem>(patient, $"{Me}/family-history", new { relative = "Cousin", condition = $"Condition {i}" });
        }

        using var full = await PostAsync(patient, $"{Me}/family-history", new { relative = "Cousin", condition = "Une de trop" });
        (await ShouldBeProblemAsync(full, HttpStatusCode.Conflict, "section-full")).Detail.Should().Contain($"at most {HealthProfileLimits.EntriesPerSection} entries");
        (await ProfileAsync(patient)).FamilyHistory.Should().HaveCount(HealthProfileLimits.EntriesPerSection);
    }

    [Fact]
    public async Task A_retried_post_with_the_same_idempotency_key_adds_once_and_a_different_body_is_refused()
    {
        var (_, patient) = await ActivePatientAsync();
        var body = new { kind = "Weight", value = 72.5, unit = "kg", date = "2025-01-02" };
        using var first = await PostAsync(patient, $"{Me}/measurements", body, "weigh-in-1");
        first.StatusCode.Should().Be(HttpStatusCode.Created);
        var created = (await first.Content.ReadFromJsonAsync<HealthEntry<MeasurementItem>>(Json.Options))!;

        using var replay = await PostAsync(patient, $"{Me}/measurements", body, "weigh-in-1");
        replay.StatusCode.Should().Be(HttpStatusCode.OK);
        replay.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        (await replay.Content.ReadFromJsonAsync<HealthEntry<MeasurementItem>>(Json.Options))!.Id.Should().Be(created.Id);

        using var reused = await PostAsync(patient, $"{Me}/measurements", body with { value = 73.0 }, "weigh-in-1");
        await ShouldBeProblemAsync(reused, HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
        (await ProfileAsync(patient)).Measurements.Should().ContainSingle().Which.Id.Should().Be(created.Id);
    }

    [Fact]
    public async Task A_change_with_a_stale_if_match_is_refused_and_wishes_are_versioned_too()
    {
        var (_, patient) = await ActivePatientAsync();
        var entry = await AddOkAsync<TreatmentItem>(patient, $"{Me}/treatments", new { medication = "Lévothyrox 75 µg" });

        async Task<HttpResponseMessage> PutAsync(string path, object body, string ifMatch)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(body) };
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            return await patient.SendAsync(request);
        }

        (await PutAsync($"{Me}/treatments/{entry.Id}", new { medication = "Lévothyrox 100 µg" }, "\"1\"")).StatusCode.Should().Be(HttpStatusCode.OK);
        using var stale = await PutAsync($"{Me}/treatments/{entry.Id}", new { medication = "Lévothyrox 50 µg" }, "\"1\"");
        (await ShouldBeProblemAsync(stale, HttpStatusCode.PreconditionFailed, "version-mismatch")).Detail.Should().Contain("version 2");
        (await PutAsync($"{Me}/wishes", new { organDonation = "Refuses" }, "\"0\"")).StatusCode.Should().Be(HttpStatusCode.OK);
        using var staleWishes = await PutAsync($"{Me}/wishes", new { organDonation = "Accepts" }, "\"0\"");
        await ShouldBeProblemAsync(staleWishes, HttpStatusCode.PreconditionFailed, "version-mismatch");

        var profile = await ProfileAsync(patient);
        profile.Treatments[0].Item.Medication.Should().Be("Lévothyrox 100 µg");
        profile.Wishes.Wishes.OrganDonation.Should().Be(OrganDonationChoice.Refuses);
    }

    [Fact]
    public async Task The_pdf_synthesis_holds_every_section_as_text_over_several_pages_when_long()
    {
        await AddProfessionalsAsync(Physician);
        var (person, patient) = await ActivePatientAsync();
        await FillAsync(patient);
        for (var i = 0; i < 80; i++)
        {
            await AddOkAsync<MeasurementItem>(patient, $"{Me}/measurements", new { kind = "Weight", value = 70 + (i / 10m), unit = "kg", date = "2025-01-02" });
        }

        using var response = await patient.GetAsync($"{Me}/pdf");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/pdf");
        response.Headers.CacheControl!.NoStore.Should().BeTrue();
        var pdf = await response.Content.ReadAsByteArrayAsync();
        await PdfLayout.ShouldStayWithinMarginsAsync(pdf, LetterRenderer.Margin, minimumPages: 2);
        var text = await PdfText.ExtractAsync(pdf);

        text.Should().Contain("Synthèse du profil médical").And.Contain(person.BirthName);
        text.Should().Contain("Antécédents médicaux").And.Contain("Maladie : Diabète de type 2");
        text.Should().Contain("Traitements en cours").And.Contain("Metformine 500 mg");
        text.Should().Contain("Allergies").And.Contain("Pénicilline").And.Contain("sévère");
        text.Should().Contain("Antécédents familiaux").And.Contain("Mère : Cancer du sein");
        text.Should().Contain("Vaccinations").And.Contain("DTCaP Boostrix").And.Contain("lot AB1234");
        text.Should().Contain("Tension artérielle : 128/82 mmHg").And.Contain("Poids : 77.9 kg");
        text.Should().Contain("Volontés").And.Contain("accepte le don de ses organes").And.Contain("Pas d'acharnement thérapeutique.");
        text.Should().Contain("Personnes à prévenir").And.Contain("Jeanne Durand");
        text.Should().Contain("Professionnels qui me suivent").And.Contain("Claire Martin").And.Contain($"RPPS {Physician.Rpps}");
        text.Split('\f', StringSplitOptions.RemoveEmptyEntries).Length.Should().BeGreaterThan(1, "a long profile runs over several pages");
    }

    [Fact]
    public async Task The_archive_holds_the_health_profile_and_a_closed_space_is_read_only()
    {
        var (_, patient) = await ActivePatientAsync();
        var allergy = await AddOkAsync<AllergyItem>(patient, $"{Me}/allergies", new { allergen = "Pollen de bouleau" });

        using (var archive = await patient.GetAsync("/api/me/archive"))
        {
            archive.StatusCode.Should().Be(HttpStatusCode.OK);
            using var zip = new ZipArchive(await archive.Content.ReadAsStreamAsync());
            using var json = JsonDocument.Parse(zip.GetEntry("health-profile.json")!.Open());
            json.RootElement.GetProperty("allergies")[0].GetProperty("item").GetProperty("allergen").GetString().Should().Be("Pollen de bouleau");
        }

        (await patient.PostAsJsonAsync("/api/me/close", new { password = Password })).StatusCode.Should().Be(HttpStatusCode.OK);

        (await ProfileAsync(patient)).Allergies.Should().ContainSingle("a closed space is the patient's archive, still readable");
        (await patient.GetAsync($"{Me}/pdf")).StatusCode.Should().Be(HttpStatusCode.OK);
        await ShouldBeProblemAsync(await PostAsync(patient, $"{Me}/allergies", new { allergen = "Acariens" }), HttpStatusCode.Conflict, "space-closed");
        await ShouldBeProblemAsync(await patient.DeleteAsync($"{Me}/allergies/{allergy.Id}"), HttpStatusCode.Conflict, "space-closed");
        await ShouldBeProblemAsync(await patient.PutAsJsonAsync($"{Me}/wishes", new { organDonation = "Refuses" }), HttpStatusCode.Conflict, "space-closed");
        (await ProfileAsync(patient)).Allergies.Should().ContainSingle();
    }

    [Fact]
    public async Task The_profile_is_one_row_of_the_grains_table_and_leaves_with_the_space_at_its_purge()
    {
        var (person, patient) = await ActivePatientAsync();
        await AddOkAsync<AllergyItem>(patient, $"{Me}/allergies", new { allergen = "Pollen de bouleau" });
        var spaceId = (await Silo.Get<SpaceDirectory>().FindByNirAsync(Nir.Parse(person.Nir)))!.Value;
        (await StateOfProfileAsync(spaceId)).Should().Contain("Pollen de bouleau");

        (await patient.PostAsJsonAsync("/api/me/close", new { password = Password })).StatusCode.Should().Be(HttpStatusCode.OK);
        Silo.Clock.Advance(TimeSpan.FromDays((365 * 10) + 3));
        (await Silo.Get<LifecycleScheduler>().RunOnceAsync()).Purged.Should().Be(1);

        (await StateOfProfileAsync(spaceId)).Should().BeNull("the health profile is removed with the space");
    }

    private async Task<string?> StateOfProfileAsync(Guid spaceId)
    {
        await using var connection = await Silo.Get<MonEspaceSante.Storage.IDatabase>().OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<string?>(connection,
            "select cast(state as text) from grains where grain_type = 'health-profile' and grain_id = @id", new { id = spaceId.ToString() });
    }
}
