using System.Net;
using System.Net.Http.Json;
using Dapper;
using MonEspaceSante.Messaging;
using MonEspaceSante.Notifications;
using MonEspaceSante.Tests.Infrastructure;
using Npgsql;

namespace MonEspaceSante.Tests.Notifications;

/// <summary>E-mail alerts drawn from the feed, per the patient's preferences, grouped, never with health content.</summary>
public sealed class EmailAlertTests : AccessTestBase
{
    private const string Clients = "/api/clients/documents";

    protected override bool AuthoriseLab => true;

    private async Task<int> DispatchAsync(SiloFactory? silo = null)
    {
        await WaitSettledAsync();
        return await (silo ?? Silo).Get<AlertDispatcher>().DispatchAllAsync();
    }

    /// <summary>
    /// Waits until every notification of this database is below the feed's read horizon (the
    /// oldest running transaction). The horizon is cluster-wide, and other test classes write
    /// in other databases of the same cluster, so it can lag a moment behind our own commits.
    /// </summary>
    private async Task WaitSettledAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (await connection.ExecuteScalarAsync<long>("select count(*) from notifications where tx >= pg_snapshot_xmin(pg_current_snapshot())::text::bigint") > 0)
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the feed's horizon should pass our commits");
            await Task.Delay(20);
        }
    }

    private List<ReceivedMail> Alerts(string email) =>
        MailPickup.To(DataPath, email).Where(m => m.Subject.StartsWith("Nouveau", StringComparison.Ordinal) || m.Subject.StartsWith("Accès", StringComparison.Ordinal)).ToList();

    private async Task<int> AlertJobsAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return await connection.ExecuteScalarAsync<int>("select count(*) from jobs where id like 'alert:%'");
    }

    [Fact]
    public async Task Documents_from_professionals_give_one_grouped_e_mail_without_health_content_and_own_uploads_none()
    {
        var (person, patient) = await ActivePatientAsync();
        await DispatchAsync(); // the dispatcher's first pass places its cursor at the head of the feed
        using var lab = await LabSoftwareAsync();
        for (var i = 0; i < 3; i++)
        {
            await UploadOkAsync(lab, LabReport(person, $"Sérologie VIH {i}"), Samples.Cda(), "application/xml", Clients);
        }

        await UploadOkAsync(patient, new { category = "Other", title = "Mon carnet", clinicalDate = "2026-10-01" }, Samples.Pdf(), "application/pdf");

        (await DispatchAsync()).Should().Be(1);
        await Silo.RunJobsAsync();
        var alert = Alerts(person.Email!).Should().ContainSingle().Subject;
        alert.Subject.Should().Be("Nouveau document dans votre espace Mon Espace Santé");
        alert.Body.Should().Contain("3 nouveaux documents");
        alert.Body.Should().NotContainAny("Sérologie", "VIH", "Martin", "LabSys", "11502-2");

        (await DispatchAsync()).Should().Be(0, "what was dispatched is not dispatched again");
        await Silo.RunJobsAsync();
        Alerts(person.Email!).Should().HaveCount(1);
    }

    [Fact]
    public async Task The_first_pass_starts_at_the_head_so_a_new_deployment_does_not_mail_the_past()
    {
        var (person, _) = await ActivePatientAsync();
        using var lab = await LabSoftwareAsync();
        await UploadOkAsync(lab, LabReport(person, "Avant"), Samples.Cda(), "application/xml", Clients);
        (await DispatchAsync()).Should().Be(0);

        await UploadOkAsync(lab, LabReport(person, "Après"), Samples.Cda(), "application/xml", Clients);
        (await DispatchAsync()).Should().Be(1);
        await Silo.RunJobsAsync();
        Alerts(person.Email!).Should().ContainSingle().Which.Body.Should().Contain("Un nouveau document");
    }

    [Fact]
    public async Task Preferences_turn_off_document_or_message_alerts_and_emergency_access_is_always_mailed()
    {
        await AddProfessionalsAsync(Physician);
        var (person, patient) = await ActivePatientAsync();
        await GrantAsync(patient, Physician);
        await DispatchAsync();
        (await patient.PutAsJsonAsync("/api/me/alerts", new { messages = true, documents = false })).StatusCode.Should().Be(HttpStatusCode.OK);

        using var lab = await LabSoftwareAsync();
        await UploadOkAsync(lab, LabReport(person), Samples.Cda(), "application/xml", Clients);
        using var doctor = await ProAsync(Physician);
        var address = (await patient.GetFromJsonAsync<MailboxInfo>("/api/me/mailbox", Json.Options))!.Address;
        using (var sent = await doctor.PostAsJsonAsync("/api/pro/mailbox/messages", new { to = new[] { address }, subject = "Résultats de votre biopsie", body = "Le résultat est malin." }))
        {
            sent.StatusCode.Should().Be(HttpStatusCode.Created, await sent.Content.ReadAsStringAsync());
        }

        (await DispatchAsync()).Should().Be(1);
        await Silo.RunJobsAsync();
        var message = Alerts(person.Email!).Should().ContainSingle().Subject;
        message.Subject.Should().Be("Nouveau message dans votre messagerie Mon Espace Santé");
        message.Body.Should().NotContainAny("biopsie", "malin", "Martin", "Claire");

        (await patient.PutAsJsonAsync("/api/me/alerts", new { messages = false, documents = false })).StatusCode.Should().Be(HttpStatusCode.OK);
        await AddProfessionalsAsync(OtherPhysician);
        using var stranger = await ProAsync(OtherPhysician);
        using (var emergency = await stranger.PostAsJsonAsync("/api/pro/patients/emergency", new { patient = Search(person), reason = "Patient inconscient aux urgences" }))
        {
            emergency.StatusCode.Should().Be(HttpStatusCode.OK, await emergency.Content.ReadAsStringAsync());
        }

        (await DispatchAsync()).Should().Be(1);
        await Silo.RunJobsAsync();
        var urgent = Alerts(person.Email!).Should().Contain(m => m.Subject.StartsWith("Accès d'urgence", StringComparison.Ordinal)).Subject;
        urgent.Body.Should().NotContainAny("Durand", "Paul", "inconscient", "Cardiologie");
    }

    [Fact]
    public async Task Two_silos_dispatching_at_once_queue_each_alert_exactly_once()
    {
        var people = new List<Person>();
        for (var i = 0; i < 4; i++)
        {
            people.Add((await ActivePatientAsync()).Person);
        }

        await using var other = new SiloFactory(ConnectionString, Path.Combine(DataPath, "..", "silo-b"), Silo.Clock);
        await DispatchAsync();
        using var lab = await LabSoftwareAsync();
        for (var round = 0; round < 3; round++)
        {
            foreach (var person in people)
            {
                await UploadOkAsync(lab, LabReport(person, $"Bilan {round}"), Samples.Cda(), "application/xml", Clients);
            }

            await Task.WhenAll(DispatchAsync(), DispatchAsync(other), DispatchAsync(), DispatchAsync(other));
        }

        (await AlertJobsAsync()).Should().Be(people.Count * 3, "each round's document is one alert per patient, whichever silo queued it");
        await Silo.RunJobsAsync();
        foreach (var person in people)
        {
            Alerts(person.Email!).Should().HaveCount(3);
        }
    }
}
