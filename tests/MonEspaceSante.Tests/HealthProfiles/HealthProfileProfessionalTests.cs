using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MonEspaceSante.Access;
using MonEspaceSante.HealthProfiles;
using MonEspaceSante.Identity;
using MonEspaceSante.Spaces;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.HealthProfiles;

/// <summary>Professionals and their software on a patient's health profile, under the patient's rules (docs/access.md).</summary>
public sealed class HealthProfileProfessionalTests : HealthProfileTestBase
{
    private static JsonElement Payload(JsonElement notification) => JsonDocument.Parse(notification.GetProperty("payloadJson").GetString()!).RootElement;

    private async Task<Guid> SpaceIdAsync(Person person) => (await Silo.Get<SpaceDirectory>().FindByNirAsync(Nir.Parse(person.Nir)))!.Value;

    [Fact]
    public async Task An_authorised_physician_reads_and_downloads_the_profile_each_access_recorded_and_notified()
    {
        await AddProfessionalsAsync(Physician);
        var (person, patient) = await ActivePatientAsync();
        await FillAsync(patient);
        await GrantAsync(patient, Physician);
        using var pro = await ProAsync(Physician);
        var patientId = await SpaceIdAsync(person);

        var profile = await ProfileAsync(pro, Pro(patientId));
        profile.PatientId.Should().Be(patientId);
        profile.Allergies.Should().ContainSingle().Which.Item.Allergen.Should().Be("Pénicilline");
        profile.Wishes.Wishes.OrganDonation.Should().Be(OrganDonationChoice.Accepts);
        using var pdf = await pro.GetAsync($"{Pro(patientId)}/pdf");
        pdf.StatusCode.Should().Be(HttpStatusCode.OK);
        var text = await PdfText.ExtractAsync(await pdf.Content.ReadAsByteArrayAsync());
        text.Should().Contain("Pénicilline").And.Contain("Metformine 500 mg").And.Contain(person.BirthName);

        var history = await HistoryAsync(patient);
        history.Items.Select(e => e.Action).Should().Equal(AccessAction.DownloadHealthProfile, AccessAction.ReadHealthProfile);
        history.Items.Should().OnlyContain(e => e.Outcome == AccessOutcome.Allowed && e.Rpps == Physician.Rpps && e.Name == "Claire Martin" && !e.Emergency);
        var notified = (await NotificationsAsync(patient)).Where(n => n.GetProperty("kind").GetString() == AccessGate.AllowedKind).ToList();
        notified.Select(n => Payload(n).GetProperty("action").GetString()).Should().Equal("ReadHealthProfile", "DownloadHealthProfile");
        // The patient is told who read, never what the profile says.
        notified.Should().OnlyContain(n => !n.GetRawText().Contains("Pénicilline", StringComparison.Ordinal));
        var exported = await PdfText.ExtractAsync(await patient.GetByteArrayAsync("/api/me/access-history/pdf"));
        exported.Should().Contain("consultation du profil médical").And.Contain("téléchargement de la synthèse du profil médical");
    }

    [Fact]
    public async Task Without_a_grant_blocked_or_expired_a_professional_gets_the_same_404_whatever_the_id_nothing_changes_and_the_refusal_is_recorded()
    {
        await AddProfessionalsAsync(Physician, OtherPhysician, Pharmacist);
        var (person, patient) = await ActivePatientAsync();
        await FillAsync(patient);
        var before = await ProfileAsync(patient);
        var patientId = await SpaceIdAsync(person);
        var allergy = before.Allergies[0].Id;
        using var stranger = await ProAsync(OtherPhysician);

        var nobody = await NotFoundShapeAsync(await stranger.GetAsync(Pro(Guid.NewGuid())));
        foreach (var response in new[]
        {
            await stranger.GetAsync(Pro(patientId)),
            await stranger.GetAsync($"{Pro(patientId)}/pdf"),
            await PostAsync(stranger, $"{Pro(patientId)}/allergies", new { allergen = "Latex" }),
            await stranger.PutAsJsonAsync($"{Pro(patientId)}/allergies/{allergy}", new { allergen = "Latex" }),
            await stranger.DeleteAsync($"{Pro(patientId)}/allergies/{allergy}"),
            await stranger.DeleteAsync($"{Pro(patientId)}/allergies/{Guid.NewGuid()}"),
        })
        {
            (await NotFoundShapeAsync(response)).Should().Be(nobody);
            response.Headers.CacheControl!.NoStore.Should().BeTrue();
        }

        await GrantAsync(patient, Physician, new { status = "Blocked" });
        using var blocked = await ProAsync(Physician);
        (await NotFoundShapeAsync(await blocked.GetAsync(Pro(patientId)))).Should().Be(nobody);

        await GrantAsync(patient, Pharmacist);
        Silo.Clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1));
        using var expired = await ProAsync(Pharmacist);
        (await NotFoundShapeAsync(await expired.GetAsync(Pro(patientId)))).Should().Be(nobody);

        using var again = await LoginAsync(person.Email!);
        (await ProfileAsync(again)).Should().BeEquivalentTo(before);
        var history = (await HistoryAsync(again)).Items;
        history.Should().OnlyContain(e => e.Outcome == AccessOutcome.Denied);
        history.Select(e => (e.Action, e.Reason)).Should().Equal(
            (AccessAction.ReadHealthProfile, "Authorisation expired"),
            (AccessAction.ReadHealthProfile, "Blocked by you"),
            (AccessAction.ChangeHealthProfileEntry, "No authorisation"),
            (AccessAction.ChangeHealthProfileEntry, "No authorisation"),
            (AccessAction.ChangeHealthProfileEntry, "No authorisation"),
            (AccessAction.AddHealthProfileEntry, "No authorisation"),
            (AccessAction.DownloadHealthProfile, "No authorisation"),
            (AccessAction.ReadHealthProfile, "No authorisation"));
        (await NotificationsAsync(again)).Should().Contain(n => n.GetProperty("kind").GetString() == AccessGate.DeniedKind);
    }

    [Fact]
    public async Task Software_adds_entries_shown_with_their_author_once_per_idempotency_key_and_never_touches_the_patients_own()
    {
        var (person, patient) = await ActivePatientAsync();
        var own = await AddOkAsync<AllergyItem>(patient, $"{Me}/allergies", new { allergen = "Arachide" });
        using var lab = await LabSoftwareAsync();
        await GrantAsync(patient, LabBiologist);
        var patientId = await SpaceIdAsync(person);
        var glucose = new { kind = "BloodGlucose", value = 1.26, unit = "g/L", date = "2026-10-30" };

        using var added = await PostAsync(lab, $"{Pro(patientId)}/measurements", glucose, "lab-order-42");
        added.StatusCode.Should().Be(HttpStatusCode.Created, await added.Content.ReadAsStringAsync());
        var entry = (await added.Content.ReadFromJsonAsync<HealthEntry<MeasurementItem>>(Json.Options))!;
        entry.Author.Should().Be(new HealthEntryAuthor(HealthAuthorKind.Professional, LabBiologist.Rpps, "Claire MARTIN", "Médecin", "lab-system"));
        using (var replay = await PostAsync(lab, $"{Pro(patientId)}/measurements", glucose, "lab-order-42"))
        {
            replay.StatusCode.Should().Be(HttpStatusCode.OK);
            (await replay.Content.ReadFromJsonAsync<HealthEntry<MeasurementItem>>(Json.Options))!.Id.Should().Be(entry.Id);
        }

        // Contacts and followers are the patient's own list.
        await ShouldBeProblemAsync(await PostAsync(lab, $"{Pro(patientId)}/contacts", new { name = "X", phone = "0102030405" }), HttpStatusCode.NotFound, "not-found");
        // The patient's entries are read-only to a professional; their own they may correct.
        await ShouldBeProblemAsync(await lab.PutAsJsonAsync($"{Pro(patientId)}/allergies/{own.Id}", new { allergen = "Noix" }), HttpStatusCode.Forbidden, "entry-read-only");
        await ShouldBeProblemAsync(await lab.DeleteAsync($"{Pro(patientId)}/allergies/{own.Id}"), HttpStatusCode.Forbidden, "entry-read-only");
        using (var corrected = await lab.PutAsJsonAsync($"{Pro(patientId)}/measurements/{entry.Id}", glucose with { value = 1.16 }))
        {
            corrected.StatusCode.Should().Be(HttpStatusCode.OK, await corrected.Content.ReadAsStringAsync());
        }

        // And the patient may not rewrite a professional's entry, but may remove it.
        await ShouldBeProblemAsync(await patient.PutAsJsonAsync($"{Me}/measurements/{entry.Id}", glucose), HttpStatusCode.Forbidden, "entry-read-only");
        var profile = await ProfileAsync(patient);
        profile.Allergies.Should().ContainSingle().Which.Item.Allergen.Should().Be("Arachide");
        profile.Measurements.Should().ContainSingle().Which.Should().Match<HealthEntry<MeasurementItem>>(m => m.Item.Value == 1.16m && m.Author.Software == "lab-system" && m.Version == 2);

        var notifications = await NotificationsAsync(patient);
        var told = notifications.Should().ContainSingle(n => n.GetProperty("kind").GetString() == "health-profile.entry-added").Subject;
        Payload(told).GetProperty("section").GetString().Should().Be("measurements");
        Payload(told).GetProperty("software").GetString().Should().Be("lab-system");
        var history = (await HistoryAsync(patient, "?action=AddHealthProfileEntry")).Items;
        history.Should().HaveCount(2).And.OnlyContain(e => e.Via == "lab-system" && e.Outcome == AccessOutcome.Allowed);

        (await patient.DeleteAsync($"{Me}/measurements/{entry.Id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await ProfileAsync(patient)).Measurements.Should().BeEmpty();
    }

    [Fact]
    public async Task A_read_under_emergency_access_is_flagged_and_a_closed_space_is_closed_to_professionals()
    {
        await AddProfessionalsAsync(OtherPhysician, Physician);
        var (person, patient) = await ActivePatientAsync();
        await AddOkAsync<AllergyItem>(patient, $"{Me}/allergies", new { allergen = "Iode" });
        await GrantAsync(patient, Physician);
        using var emergencyDoctor = await ProAsync(OtherPhysician);
        using (var opened = await emergencyDoctor.PostAsJsonAsync("/api/pro/patients/emergency", new { patient = Search(person), reason = "Patient inconscient aux urgences" }))
        {
            opened.StatusCode.Should().Be(HttpStatusCode.OK, await opened.Content.ReadAsStringAsync());
        }

        var patientId = await SpaceIdAsync(person);
        (await ProfileAsync(emergencyDoctor, Pro(patientId))).Allergies.Should().ContainSingle().Which.Item.Allergen.Should().Be("Iode");
        var read = (await HistoryAsync(patient, "?action=ReadHealthProfile")).Items.Should().ContainSingle().Subject;
        read.Emergency.Should().BeTrue();
        read.Rpps.Should().Be(OtherPhysician.Rpps);
        (await NotificationsAsync(patient)).Where(n => n.GetProperty("kind").GetString() == AccessGate.EmergencyKind)
            .Should().Contain(n => Payload(n).GetProperty("action").GetString() == "ReadHealthProfile");

        (await patient.PostAsJsonAsync("/api/me/close", new { password = Password })).StatusCode.Should().Be(HttpStatusCode.OK);
        using var doctor = await ProAsync(Physician);
        (await doctor.GetAsync(Pro(patientId))).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await PostAsync(doctor, $"{Pro(patientId)}/allergies", new { allergen = "Latex" })).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await ProfileAsync(patient)).Allergies.Should().ContainSingle();
    }
}
