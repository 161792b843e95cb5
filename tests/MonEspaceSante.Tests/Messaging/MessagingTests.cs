using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MonEspaceSante.Access;
using MonEspaceSante.Documents;
using MonEspaceSante.Api.Messaging;
using MonEspaceSante.Messaging;
using MonEspaceSante.Professionals;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Messaging;

/// <summary>Secure messaging between patients and professionals (docs/messaging.md).</summary>
public sealed class MessagingTests : AccessTestBase
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Messaging:MaxAttachmentSize"] = "4096",
        ["Messaging:MaxBodyLength"] = "2000",
        ["Messaging:ProfessionalPerHour"] = "6",
    };

    private async Task<(Person Person, HttpClient Patient, string Address)> PatientWithAddressAsync(ProfessionalInfo doctor)
    {
        var (person, patient) = await ActivePatientAsync();
        await GrantAsync(patient, doctor);
        var mailbox = await patient.GetFromJsonAsync<MailboxInfo>("/api/me/mailbox", Json.Options);
        return (person, patient, mailbox!.Address);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string path, object message) => client.PostAsJsonAsync(path, message);

    private static async Task<SendResult> SendOkAsync(HttpClient client, string path, object message)
    {
        using var response = await SendAsync(client, path, message);
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<SendResult>(Json.Options))!;
    }

    private static async Task<MessagePage> InboxAsync(HttpClient client, string path, string query = "")
    {
        using var response = await client.GetAsync($"{path}/messages{query}");
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<MessagePage>(Json.Options))!;
    }

    private static MultipartFormDataContent WithAttachments(object message, params (byte[] Bytes, string ContentType, string Name)[] files)
    {
        var form = new MultipartFormDataContent { { new StringContent(JsonSerializer.Serialize(message, Json.Options), Encoding.UTF8, "application/json"), "message" } };
        foreach (var (bytes, contentType, name) in files)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            // filename* (RFC 5987) carries any character a client may send, line breaks included.
            part.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "attachment", FileNameStar = name };
            form.Add(part);
        }

        return form;
    }

    [Fact]
    public async Task A_professional_writes_the_patient_reads_and_replies_in_the_same_conversation()
    {
        await AddProfessionalsAsync(Physician);
        var (_, patient, address) = await PatientWithAddressAsync(Physician);
        address.Should().MatchRegex(@"^\d{12}@patient\.mssante\.fr$");
        using var doctor = await ProAsync(Physician);
        var doctorAddress = (await doctor.GetFromJsonAsync<MailboxInfo>("/api/pro/mailbox", Json.Options))!.Address;
        doctorAddress.Should().Be("claire.martin@medecin.mssante.fr");

        var sent = await SendOkAsync(doctor, "/api/pro/mailbox/messages", new { to = new[] { address }, subject = "Vos résultats", body = "Votre bilan est normal." });

        (await patient.GetFromJsonAsync<MailboxInfo>("/api/me/mailbox", Json.Options))!.Unread.Should().Be(1);
        var inbox = await InboxAsync(patient, "/api/me/mailbox");
        var summary = inbox.Items.Should().ContainSingle().Subject;
        summary.Should().Match<MessageSummary>(m => m.From == doctorAddress && m.FromName == "Claire Martin" && m.Subject == "Vos résultats" && !m.Read);
        var detail = await patient.GetFromJsonAsync<MessageDetail>($"/api/me/mailbox/messages/{sent.MessageId}", Json.Options);
        detail!.Body.Should().Be("Votre bilan est normal.");
        (await patient.GetFromJsonAsync<MailboxInfo>("/api/me/mailbox", Json.Options))!.Unread.Should().Be(0);

        var reply = await SendOkAsync(patient, "/api/me/mailbox/messages", new { to = new[] { doctorAddress }, subject = "Re: Vos résultats", body = "Merci docteur.", inReplyTo = sent.MessageId });
        reply.ConversationId.Should().Be(sent.ConversationId);
        var doctorInbox = await InboxAsync(doctor, "/api/pro/mailbox");
        doctorInbox.Items.Should().ContainSingle(m => m.Id == reply.MessageId && m.ConversationId == sent.ConversationId);
        (await InboxAsync(doctor, "/api/pro/mailbox", "?folder=Sent")).Items.Should().ContainSingle(m => m.Id == sent.MessageId && m.Read);

        // The patient's feed says who wrote, never what.
        var feed = await NotificationsAsync(patient);
        var received = feed.Should().ContainSingle(n => n.GetProperty("kind").GetString() == "message.received").Subject;
        received.GetRawText().Should().Contain("Claire Martin").And.NotContain("résultats").And.NotContain("bilan");
    }

    [Fact]
    public async Task A_patient_cannot_open_a_conversation_with_a_professional_who_never_wrote_to_them()
    {
        await AddProfessionalsAsync(Physician, OtherPhysician);
        var (_, patient, address) = await PatientWithAddressAsync(Physician);
        using var doctor = await ProAsync(Physician);
        var doctorAddress = (await doctor.GetFromJsonAsync<MailboxInfo>("/api/pro/mailbox", Json.Options))!.Address;

        await ShouldBeProblemAsync(await SendAsync(patient, "/api/me/mailbox/messages", new { to = new[] { doctorAddress }, subject = "Bonjour", body = "Question" }), HttpStatusCode.Forbidden, "conversation-required");
        (await InboxAsync(doctor, "/api/pro/mailbox")).Total.Should().Be(0);

        await SendOkAsync(doctor, "/api/pro/mailbox/messages", new { to = new[] { address }, subject = "Suivi", body = "Comment allez-vous ?" });
        // Once written to, the patient may write to that professional, even a new message.
        await SendOkAsync(patient, "/api/me/mailbox/messages", new { to = new[] { doctorAddress }, subject = "Nouvelle question", body = "Puis-je ?" });

        // A patient never writes to another patient.
        var (_, _, otherAddress) = await PatientWithAddressAsync(Physician);
        await ShouldBeProblemAsync(await SendAsync(patient, "/api/me/mailbox/messages", new { to = new[] { otherAddress }, subject = "x", body = "y" }), HttpStatusCode.Forbidden, "conversation-required");
    }

    [Fact]
    public async Task Professionals_write_to_each_other_homonyms_get_distinct_addresses_and_nothing_leaves_the_platform()
    {
        var homonym = Physician with { Rpps = "10007000002", City = "Nice" };
        await AddProfessionalsAsync(Physician, homonym, Pharmacist);
        using var doctor = await ProAsync(Physician);
        using var other = await ProAsync(homonym);
        var first = (await doctor.GetFromJsonAsync<MailboxAddress>($"/api/pro/mailboxes/{Physician.Rpps}", Json.Options))!.Address;
        var second = (await doctor.GetFromJsonAsync<MailboxAddress>($"/api/pro/mailboxes/{homonym.Rpps}", Json.Options))!.Address;
        var pharmacist = (await doctor.GetFromJsonAsync<MailboxAddress>($"/api/pro/mailboxes/{Pharmacist.Rpps}", Json.Options))!.Address;
        first.Should().Be("claire.martin@medecin.mssante.fr");
        second.Should().Be("claire.martin2@medecin.mssante.fr");
        pharmacist.Should().Be("lea.petit@pharmacien.mssante.fr");

        await SendOkAsync(doctor, "/api/pro/mailbox/messages", new { to = new[] { second, pharmacist }, subject = "Avis", body = "Votre avis sur ce patient ?" });
        (await InboxAsync(other, "/api/pro/mailbox")).Total.Should().Be(1);

        await ShouldBeProblemAsync(await SendAsync(doctor, "/api/pro/mailbox/messages", new { to = new[] { "someone@gmail.com" }, subject = "x", body = "y" }), (HttpStatusCode)422, "recipient-outside-platform");
        await ShouldBeProblemAsync(await SendAsync(doctor, "/api/pro/mailbox/messages", new { to = new[] { second, "nobody@medecin.mssante.fr" }, subject = "x", body = "y" }), (HttpStatusCode)422, "unknown-recipient");
        await ShouldBeProblemAsync(await SendAsync(doctor, "/api/pro/mailbox/messages", new { to = new[] { second }, subject = "", body = "y" }), HttpStatusCode.BadRequest, "invalid-request");
        await ShouldBeProblemAsync(await SendAsync(doctor, "/api/pro/mailbox/messages", new { to = new[] { second }, subject = "x", body = new string('a', 2001) }), HttpStatusCode.RequestEntityTooLarge, "content-too-large");
        (await InboxAsync(doctor, "/api/pro/mailbox", "?folder=Sent")).Total.Should().Be(1);
        (await InboxAsync(other, "/api/pro/mailbox")).Total.Should().Be(1);
    }

    [Fact]
    public async Task A_lab_copies_the_patient_on_a_report_to_the_treating_doctor()
    {
        await AddProfessionalsAsync(Physician, OtherPhysician);
        var (_, patient, address) = await PatientWithAddressAsync(Physician);
        using var lab = Silo.SoftwareFor(OtherPhysician.Rpps, other: true);
        using var doctor = await ProAsync(Physician);
        var doctorAddress = (await doctor.GetFromJsonAsync<MailboxInfo>("/api/pro/mailbox", Json.Options))!.Address;

        var sent = await SendOkAsync(lab, "/api/pro/mailbox/messages", new { to = new[] { doctorAddress }, copyPatient = address, subject = "Compte rendu", body = "Ci-joint." });
        sent.Recipients.Should().BeEquivalentTo([doctorAddress, address]);

        var copy = (await InboxAsync(patient, "/api/me/mailbox")).Items.Should().ContainSingle().Subject;
        copy.To.Should().Equal(doctorAddress);
        copy.Copy.Should().Equal(address);
        (await InboxAsync(doctor, "/api/pro/mailbox")).Items.Should().ContainSingle(m => m.Id == sent.MessageId);
        await ShouldBeProblemAsync(await SendAsync(lab, "/api/pro/mailbox/messages", new { to = new[] { address }, copyPatient = doctorAddress, subject = "x", body = "y" }), HttpStatusCode.BadRequest, "invalid-request");
    }

    [Fact]
    public async Task Attachments_are_checked_like_documents_downloaded_and_saved_into_the_patients_documents()
    {
        await AddProfessionalsAsync(Physician);
        var (_, patient, address) = await PatientWithAddressAsync(Physician);
        using var doctor = await ProAsync(Physician);
        var message = new { to = new[] { address }, subject = "Ordonnance", body = "Voici votre ordonnance." };

        using (var wrongType = await doctor.PostAsync("/api/pro/mailbox/messages", WithAttachments(message, (Samples.Png(), "application/pdf", "x.pdf"))))
        {
            await ShouldBeProblemAsync(wrongType, HttpStatusCode.UnsupportedMediaType, "unsupported-format");
        }

        using (var tooLarge = await doctor.PostAsync("/api/pro/mailbox/messages", WithAttachments(message, (Samples.LargePdf(8192), "application/pdf", "big.pdf"))))
        {
            await ShouldBeProblemAsync(tooLarge, HttpStatusCode.RequestEntityTooLarge, "content-too-large");
        }

        // The message part itself is read only up to 256 KiB, whatever its fields say.
        using (var hugeMessage = await doctor.PostAsync("/api/pro/mailbox/messages", WithAttachments(message with { body = new string('a', 300 * 1024) }, (Samples.Pdf(), "application/pdf", "o.pdf"))))
        {
            (await ShouldBeProblemAsync(hugeMessage, HttpStatusCode.RequestEntityTooLarge, "content-too-large")).Detail.Should().Be("The message part is too large.");
        }

        using (var tooMany = await doctor.PostAsync("/api/pro/mailbox/messages", WithAttachments(message, Enumerable.Repeat((Samples.Pdf(), "application/pdf", "o.pdf"), 11).ToArray())))
        {
            await ShouldBeProblemAsync(tooMany, HttpStatusCode.BadRequest, "invalid-request");
        }

        (await InboxAsync(patient, "/api/me/mailbox")).Total.Should().Be(0);
        ContentFileCount().Should().Be(0);

        // Names are labels, never paths or header-breaking text (the part's filename* is sent as is).
        using var ok = await doctor.PostAsync("/api/pro/mailbox/messages", WithAttachments(message, (Samples.Pdf(), "application/pdf", "../../../../tmp/ordonnance.pdf"), (Samples.Text(), "text/plain", "..\\..\\conseils\r\n.txt")));
        ok.StatusCode.Should().Be(HttpStatusCode.Created, await ok.Content.ReadAsStringAsync());
        var sent = (await ok.Content.ReadFromJsonAsync<SendResult>(Json.Options))!;
        var detail = await patient.GetFromJsonAsync<MessageDetail>($"/api/me/mailbox/messages/{sent.MessageId}", Json.Options);
        detail!.Attachments.Select(a => a.FileName).Should().Equal("ordonnance.pdf", "conseils.txt");
        (await patient.GetByteArrayAsync($"/api/me/mailbox/messages/{sent.MessageId}/attachments/0")).Should().Equal(Samples.Pdf());
        (await patient.GetAsync($"/api/me/mailbox/messages/{sent.MessageId}/attachments/2")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        // Stored encrypted: the bytes on disk are not the PDF.
        Directory.GetFiles(ContentPath, "*", SearchOption.AllDirectories).Should().HaveCount(2)
            .And.OnlyContain(f => !IsPdf(File.ReadAllBytes(f)));

        using var save = await patient.PostAsJsonAsync($"/api/me/mailbox/messages/{sent.MessageId}/attachments/0/save", new { category = "Prescription", title = "Ordonnance du Dr Martin" });
        save.StatusCode.Should().Be(HttpStatusCode.OK, await save.Content.ReadAsStringAsync());
        var document = (await save.Content.ReadFromJsonAsync<DocumentInfo>(Json.Options))!;
        document.Category.Should().Be(DocumentCategory.Prescription);
        using var again = await patient.PostAsJsonAsync($"/api/me/mailbox/messages/{sent.MessageId}/attachments/0/save", new { category = "Prescription", title = "Ordonnance du Dr Martin" });
        (await again.Content.ReadFromJsonAsync<DocumentInfo>(Json.Options))!.Id.Should().Be(document.Id);
        (await ListAsync(patient)).Items.Should().ContainSingle(d => d.Id == document.Id);
        (await patient.GetByteArrayAsync($"/api/me/documents/{document.Id}/content")).Should().Equal(Samples.Pdf());
        (await doctor.PostAsJsonAsync($"/api/pro/mailbox/messages/{sent.MessageId}/attachments/0/save", new { })).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Read_archive_search_page_and_delete_own_copy_while_others_keep_theirs()
    {
        await AddProfessionalsAsync(Physician);
        var (_, patient, address) = await PatientWithAddressAsync(Physician);
        using var doctor = await ProAsync(Physician);
        var ids = new List<Guid>();
        foreach (var subject in new[] { "Vaccination grippe", "Résultats sanguins", "Rendez-vous" })
        {
            Silo.Clock.Advance(TimeSpan.FromMinutes(1));
            ids.Add((await SendOkAsync(doctor, "/api/pro/mailbox/messages", new { to = new[] { address }, subject, body = "..." })).MessageId);
        }

        (await InboxAsync(patient, "/api/me/mailbox")).Items.Select(m => m.Id).Should().Equal(ids[2], ids[1], ids[0]);
        (await InboxAsync(patient, "/api/me/mailbox", "?q=resultats")).Items.Should().ContainSingle(m => m.Id == ids[1]);
        (await InboxAsync(patient, "/api/me/mailbox", "?q=martin")).Total.Should().Be(3);
        (await InboxAsync(patient, "/api/me/mailbox", "?correspondent=claire.martin@medecin.mssante.fr&limit=2&offset=2")).Items.Should().ContainSingle(m => m.Id == ids[0]);
        (await InboxAsync(doctor, "/api/pro/mailbox", $"?folder=Sent&correspondent={address}")).Total.Should().Be(3);

        (await patient.PostAsync($"/api/me/mailbox/messages/{ids[0]}/read", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await InboxAsync(patient, "/api/me/mailbox", "?unread=true")).Total.Should().Be(2);
        (await patient.PostAsync($"/api/me/mailbox/messages/{ids[0]}/unread", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await patient.GetFromJsonAsync<MailboxInfo>("/api/me/mailbox", Json.Options))!.Unread.Should().Be(3);

        (await patient.PostAsync($"/api/me/mailbox/messages/{ids[1]}/archive", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await InboxAsync(patient, "/api/me/mailbox")).Total.Should().Be(2);
        (await InboxAsync(patient, "/api/me/mailbox", "?folder=Archive")).Items.Should().ContainSingle(m => m.Id == ids[1]);

        (await patient.DeleteAsync($"/api/me/mailbox/messages/{ids[2]}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await patient.GetAsync($"/api/me/mailbox/messages/{ids[2]}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await doctor.GetAsync($"/api/pro/mailbox/messages/{ids[2]}")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await patient.GetAsync("/api/me/mailbox/messages?limit=0")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_blocked_professional_cannot_write_and_a_closed_space_receives_nothing()
    {
        await AddProfessionalsAsync(Physician, OtherPhysician);
        var (_, patient, address) = await PatientWithAddressAsync(Physician);
        await GrantAsync(patient, OtherPhysician, new { status = "Blocked" });
        using var blocked = await ProAsync(OtherPhysician);
        await ShouldBeProblemAsync(await SendAsync(blocked, "/api/pro/mailbox/messages", new { to = new[] { address }, subject = "x", body = "y" }), HttpStatusCode.Forbidden, "recipient-refuses");

        using var doctor = await ProAsync(Physician);
        (await patient.PostAsJsonAsync("/api/me/close", new { password = Password })).StatusCode.Should().Be(HttpStatusCode.OK);
        await ShouldBeProblemAsync(await SendAsync(doctor, "/api/pro/mailbox/messages", new { to = new[] { address }, subject = "x", body = "y" }), HttpStatusCode.Conflict, "recipient-closed");
        (await InboxAsync(doctor, "/api/pro/mailbox", "?folder=Sent")).Total.Should().Be(0);
    }

    [Fact]
    public async Task Senders_are_rate_limited_and_mailboxes_are_private()
    {
        await AddProfessionalsAsync(Physician);
        var (_, patient, address) = await PatientWithAddressAsync(Physician);
        var (_, other, _) = await PatientWithAddressAsync(Physician);
        using var doctor = await ProAsync(Physician);
        Guid first = default;
        for (var i = 0; i < 6; i++)
        {
            var sent = await SendOkAsync(doctor, "/api/pro/mailbox/messages", new { to = new[] { address }, subject = $"Message {i}", body = "..." });
            first = first == default ? sent.MessageId : first;
        }

        using var tooMany = await SendAsync(doctor, "/api/pro/mailbox/messages", new { to = new[] { address }, subject = "Trop", body = "..." });
        await ShouldBeProblemAsync(tooMany, HttpStatusCode.TooManyRequests, "too-many-messages");
        RetryAfterOf(tooMany).Should().BePositive().And.BeLessThanOrEqualTo(TimeSpan.FromHours(1), "the limit is per clock hour");
        (await InboxAsync(patient, "/api/me/mailbox")).Total.Should().Be(6);

        // Another patient gets the same 404 for this message as for one that does not exist.
        using var existing = await other.GetAsync($"/api/me/mailbox/messages/{first}");
        using var absent = await other.GetAsync($"/api/me/mailbox/messages/{Guid.NewGuid()}");
        (await NotFoundShapeAsync(existing)).Should().Be(await NotFoundShapeAsync(absent));
        (await other.DeleteAsync($"/api/me/mailbox/messages/{first}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await InboxAsync(patient, "/api/me/mailbox")).Total.Should().Be(6);
        (await patient.GetAsync("/api/pro/mailbox")).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        Silo.Clock.Advance(TimeSpan.FromHours(1));
        using var later = await ProAsync(Physician);
        await SendOkAsync(later, "/api/pro/mailbox/messages", new { to = new[] { address }, subject = "Une heure plus tard", body = "..." });
    }

    [Fact]
    public async Task A_send_racing_the_purge_of_the_patients_space_completes_and_leaves_nothing_behind()
    {
        await AddProfessionalsAsync(Physician);
        var (person, patient, address) = await PatientWithAddressAsync(Physician);
        using var doctor = await ProAsync(Physician);
        var doctorAddress = (await doctor.GetFromJsonAsync<MailboxInfo>("/api/pro/mailbox", Json.Options))!.Address;
        var sent = await SendOkAsync(doctor, "/api/pro/mailbox/messages", new { to = new[] { address }, subject = "Suivi", body = "Comment allez-vous ?" });
        (await patient.PostAsJsonAsync("/api/me/close", new { password = Password })).StatusCode.Should().Be(HttpStatusCode.OK);
        Silo.Clock.Advance(TimeSpan.FromDays((365 * 10) + 5));
        var spaceId = (await Silo.Get<MonEspaceSante.Spaces.SpaceDirectory>().FindByNirAsync(MonEspaceSante.Identity.Nir.Parse(person.Nir)))!.Value;
        // Ten years on, the patient logs in again to their archive.
        using var returning = await LoginAsync(person.Email ?? $"{person.Nir}@example.net");

        // The purge holds the space's activation (held at its door here, so the send surely comes
        // in while it does); the patient's send reaches the mailbox, which asks the space about it.
        var gate = Silo.Get<GrainCallGate>();
        var hold = gate.Arm(nameof(MonEspaceSante.Spaces.IPatientSpaceGrain.PurgeAsync));
        var purging = Silo.Get<MonEspaceSante.Spaces.LifecycleScheduler>().RunOnceAsync();
        await hold.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var asked = gate.Watch(nameof(IPatientAccessGrain.GetMessagingViewAsync));
        var subject = $"Re: Suivi {Guid.NewGuid():N}";
        var sending = SendAsync(returning, "/api/me/mailbox/messages", new { to = new[] { doctorAddress }, subject, body = "Merci.", inReplyTo = sent.MessageId });
        await asked.WaitAsync(TimeSpan.FromSeconds(30));

        // The purge now asks the mailbox to purge itself. Had the mailbox kept waiting on the space
        // (or the space on the mailbox), both would wait for Orleans' response timeout (30 s).
        hold.Released.SetResult();
        await Task.WhenAll(purging, sending).WaitAsync(TimeSpan.FromSeconds(5));

        (await purging).Purged.Should().Be(1);
        using (var refused = await sending)
        {
            await ShouldBeProblemAsync(refused, HttpStatusCode.Conflict, "space-closed");
        }

        await using var connection = await Silo.Get<MonEspaceSante.Storage.IDatabase>().OpenAsync();
        var mailboxId = MailboxGrain.MailboxId(MailboxKind.Patient, spaceId.ToString());
        (await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "select count(*) from messages where mailbox_id = @mailboxId or subject = @subject",
            new { mailboxId, subject })).Should().Be(0, "the refused reply is nowhere and the patient's copies went with the space");
        (await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "select count(*) from mailboxes where mailbox_id = @mailboxId", new { mailboxId })).Should().Be(0);
        using var doctorLater = await ProAsync(Physician);
        (await InboxAsync(doctorLater, "/api/pro/mailbox", "?folder=Sent")).Items.Should().ContainSingle(m => m.Id == sent.MessageId, "the professional keeps their own copy");
    }

    private static bool IsPdf(byte[] bytes) => bytes.AsSpan().StartsWith("%PDF"u8);
}
