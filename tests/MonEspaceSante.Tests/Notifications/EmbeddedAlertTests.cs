using System.Net;
using System.Net.Http.Json;
using MonEspaceSante.Notifications;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Notifications;

/// <summary>E-mail alerts, account settings and the feed's retention on the embedded default (SQLite).</summary>
public sealed class EmbeddedAlertTests : DocumentTestBase
{
    protected override bool AuthoriseLab => true;

    protected override bool Embedded => true;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Notifications:PruneBatchSize"] = "3" };

    [Fact]
    public async Task Alerts_settings_and_retention_work_on_sqlite()
    {
        var (person, patient) = await ActivePatientAsync();
        var dispatcher = Silo.Get<AlertDispatcher>();
        (await dispatcher.DispatchAllAsync()).Should().Be(0);
        using var lab = await LabSoftwareAsync();
        await UploadOkAsync(lab, LabReport(person), Samples.Cda(), "application/xml", "/api/clients/documents");
        await UploadOkAsync(lab, LabReport(person, "Deuxième"), Samples.Cda(), "application/xml", "/api/clients/documents");
        (await dispatcher.DispatchAllAsync()).Should().Be(1);
        await Silo.RunJobsAsync();
        MailPickup.To(DataPath, person.Email!).Should().ContainSingle(m => m.Subject.StartsWith("Nouveau document", StringComparison.Ordinal))
            .Which.Body.Should().Contain("2 nouveaux documents");

        using (var changed = await patient.PostAsJsonAsync("/api/me/password", new { currentPassword = SpaceTestBase.Password, newPassword = "Another-Horse-77?" }))
        {
            changed.StatusCode.Should().Be(HttpStatusCode.NoContent, await changed.Content.ReadAsStringAsync());
        }

        (await patient.PutAsJsonAsync("/api/me/alerts", new { messages = false, documents = false })).StatusCode.Should().Be(HttpStatusCode.OK);
        await UploadOkAsync(lab, LabReport(person, "Troisième"), Samples.Cda(), "application/xml", "/api/clients/documents");
        (await dispatcher.DispatchAllAsync()).Should().Be(0);

        var before = (await patient.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/me/notifications?limit=500")).GetProperty("items").GetArrayLength();
        Silo.Clock.Advance(TimeSpan.FromDays(366));
        (await Silo.Get<FeedRetention>().PruneOnceAsync()).Notifications.Should().Be(before);
    }
}
