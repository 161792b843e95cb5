using System.Net;
using System.Net.Http.Json;
using MonEspaceSante.Messaging;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Messaging;

/// <summary>Messaging and access on the embedded default (SQLite): the same SQL paths run there.</summary>
public sealed class EmbeddedMessagingTests : AccessTestBase
{
    protected override bool Embedded => true;

    [Fact]
    public async Task A_professional_with_access_writes_and_the_patient_answers_on_sqlite()
    {
        await AddProfessionalsAsync(Physician, Pharmacist);
        var (person, patient) = await ActivePatientAsync();
        await GrantAsync(patient, Physician);
        using var doctor = await ProAsync(Physician);
        var patientId = await FindOkAsync(doctor, person);
        (await ProListAsync(doctor, patientId)).Total.Should().Be(0);
        var profile = await doctor.GetFromJsonAsync<MonEspaceSante.Access.PatientProfile>($"/api/pro/patients/{patientId}/profile", Json.Options);

        using var sent = await doctor.PostAsJsonAsync("/api/pro/mailbox/messages", new { to = new[] { profile!.MailboxAddress }, subject = "Bonjour", body = "Suivi" });
        sent.StatusCode.Should().Be(HttpStatusCode.Created, await sent.Content.ReadAsStringAsync());
        var message = (await sent.Content.ReadFromJsonAsync<SendResult>(Json.Options))!;
        var doctorAddress = (await doctor.GetFromJsonAsync<MailboxInfo>("/api/pro/mailbox", Json.Options))!.Address;
        using var reply = await patient.PostAsJsonAsync("/api/me/mailbox/messages", new { to = new[] { doctorAddress }, subject = "Re: Bonjour", body = "Merci", inReplyTo = message.MessageId });
        reply.StatusCode.Should().Be(HttpStatusCode.Created, await reply.Content.ReadAsStringAsync());
        (await doctor.GetFromJsonAsync<MessagePage>("/api/pro/mailbox/messages?q=bonjour", Json.Options))!.Total.Should().Be(1);

        using var pharmacist = await ProAsync(Pharmacist);
        (await FindAsync(pharmacist, person)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await HistoryAsync(patient)).Total.Should().Be(4);
        (await patient.GetFromJsonAsync<MonEspaceSante.Access.HistoryVerification>("/api/me/access-history/verify", Json.Options))!.Intact.Should().BeTrue();
    }
}
