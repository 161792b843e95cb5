using System.Net;
using System.Net.Http.Json;
using MonEspaceSante.HealthProfiles;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.HealthProfiles;

/// <summary>Health profile calls over the real HTTP API, for the patient and for professionals.</summary>
public abstract class HealthProfileTestBase : AccessTestBase
{
    protected const string Me = "/api/me/health-profile";

    protected static string Pro(Guid patientId) => $"/api/pro/patients/{patientId}/health-profile";

    protected static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await client.SendAsync(request);
    }

    protected static async Task<HealthEntry<TItem>> AddOkAsync<TItem>(HttpClient client, string path, object body)
        where TItem : class, IHealthItem
    {
        using var response = await PostAsync(client, path, body);
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<HealthEntry<TItem>>(Json.Options))!;
    }

    protected static async Task<HealthProfileView> ProfileAsync(HttpClient client, string path = Me)
    {
        using var response = await client.GetAsync(path);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Headers.CacheControl!.NoStore.Should().BeTrue();
        return (await response.Content.ReadFromJsonAsync<HealthProfileView>(Json.Options))!;
    }

    /// <summary>Every entry of every section, to compare a profile before and after a refused call.</summary>
    protected static int Count(HealthProfileView profile) =>
        profile.History.Count + profile.Treatments.Count + profile.Allergies.Count + profile.FamilyHistory.Count
        + profile.Vaccinations.Count + profile.Measurements.Count + profile.Contacts.Count + profile.Followers.Count;

    /// <summary>A patient whose profile has one entry in each section and wishes set.</summary>
    protected static async Task FillAsync(HttpClient patient, string date = "2024-03-15")
    {
        await AddOkAsync<MedicalHistoryItem>(patient, $"{Me}/history", new { kind = "Illness", label = "Diabète de type 2", startDate = "2019-06-01" });
        await AddOkAsync<TreatmentItem>(patient, $"{Me}/treatments", new { medication = "Metformine 500 mg", dosage = "2 comprimés par jour" });
        await AddOkAsync<AllergyItem>(patient, $"{Me}/allergies", new { allergen = "Pénicilline", reaction = "Urticaire", severity = "Severe" });
        await AddOkAsync<FamilyHistoryItem>(patient, $"{Me}/family-history", new { relative = "Mère", condition = "Cancer du sein" });
        await AddOkAsync<VaccinationItem>(patient, $"{Me}/vaccinations", new { vaccine = "DTCaP Boostrix", date, lot = "AB1234" });
        await AddOkAsync<MeasurementItem>(patient, $"{Me}/measurements", new { kind = "BloodPressure", value = 128, diastolic = 82, unit = "mmHg", date });
        await AddOkAsync<ContactItem>(patient, $"{Me}/contacts", new { name = "Jeanne Durand", relation = "Épouse", phone = "+33 6 12 34 56 78" });
        await AddOkAsync<FollowerItem>(patient, $"{Me}/followers", new { rpps = Physician.Rpps, role = "Médecin traitant" });
        using var wishes = await patient.PutAsJsonAsync($"{Me}/wishes", new { organDonation = "Accepts", advanceDirectives = "Pas d'acharnement thérapeutique." });
        wishes.StatusCode.Should().Be(HttpStatusCode.OK, await wishes.Content.ReadAsStringAsync());
    }
}
