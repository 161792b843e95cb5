using Dapper;
using MonEspaceSante.Access;
using MonEspaceSante.Errors;
using MonEspaceSante.Identity;
using MonEspaceSante.Messaging;
using MonEspaceSante.Professionals;
using MonEspaceSante.Spaces;
using Npgsql;

namespace MonEspaceSante.Tests.Grains;

/// <summary>
/// The mailbox grain called directly on a two-silo cluster (no HTTP): a send stored once in each
/// participant's mailbox and notified once, a send committed again adding nothing, the hourly
/// limits counted in PostgreSQL whichever silo the sends start from, and the rules that involve
/// the recipient's space (closed, blocking).
/// </summary>
public sealed class MailboxGrainTests(MailboxGrainTests.Fixture cluster) : IClassFixture<MailboxGrainTests.Fixture>
{
    private const int ProfessionalPerHour = 4;
    private const int PatientPerHour = 2;

    // One sender per test, so that each test's hourly count is its own.
    private static readonly ProfessionalInfo Sender = Pro("10001000008", "Martin", "Claire");
    private static readonly ProfessionalInfo Colleague = Pro("10002000007", "Durand", "Paul");
    private static readonly ProfessionalInfo Retrying = Pro("10003000006", "Petit", "Léa");
    private static readonly ProfessionalInfo Busy = Pro("10004000005", "Roux", "Hugo");
    private static readonly ProfessionalInfo Writer = Pro("10005000004", "Blanc", "Inès");
    private static readonly ProfessionalInfo Refused = Pro("10006000003", "Noir", "Jules");

    public sealed class Fixture : PlatformCluster
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Messaging:ProfessionalPerHour"] = ProfessionalPerHour.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Messaging:PatientPerHour"] = PatientPerHour.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        protected override Task SetUpAsync() => AddProfessionalsAsync(Sender, Colleague, Retrying, Busy, Writer, Refused);
    }

    private static ProfessionalInfo Pro(string rpps, string lastName, string firstName) =>
        new(rpps, lastName, firstName, "10", "Médecin", "Médecine générale", "750000001", "Cabinet", "Paris");

    private static Caller As(ProfessionalInfo professional) => Caller.Professional(Rpps.Parse(professional.Rpps));

    private IMailboxGrain MailboxOf(int silo, ProfessionalInfo professional) =>
        cluster.FromSilo(silo).GetGrain<IMailboxGrain>(MailboxIds.Of(MailboxKind.Professional, professional.Rpps));

    private IMailboxGrain MailboxOf(int silo, EnrolledPerson person) =>
        cluster.FromSilo(silo).GetGrain<IMailboxGrain>(MailboxIds.Of(MailboxKind.Patient, person.SpaceId.ToString()));

    /// <summary>The address a professional gives out: the platform opens the mailbox for it.</summary>
    private async Task<string> AddressOfAsync(ProfessionalInfo professional) => (await MailboxOf(1, professional).GetAsync(Caller.System)).Address;

    private async Task<string> AddressOfAsync(EnrolledPerson person) => (await MailboxOf(1, person).GetAsync(Caller.System)).Address;

    private static OutgoingMessage Message(string subject, params string[] to) => new(to, null, subject, "Bonjour,\nvoici les résultats.", null);

    private async Task<long> CountAsync(string sql, object parameters)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        return await connection.ExecuteScalarAsync<long>(sql, parameters);
    }

    [Fact]
    public async Task A_send_is_stored_once_in_each_mailbox_and_notified_once_to_each_recipient()
    {
        var patient = await cluster.ActivatedAsync();
        var patientAddress = await AddressOfAsync(patient);
        var colleagueAddress = await AddressOfAsync(Colleague);

        var sent = await MailboxOf(0, Sender).CommitSendAsync(As(Sender), Message("Résultats d'analyse", patientAddress, colleagueAddress), Guid.NewGuid(), []);

        sent.Recipients.Should().BeEquivalentTo([patientAddress, colleagueAddress]);
        var inbox = await MailboxOf(1, patient).ListAsync(patient.Patient, new MessageFilter());
        inbox.Items.Should().ContainSingle().Which.Should().Match<MessageSummary>(m => m.Id == sent.MessageId && m.Subject == "Résultats d'analyse" && !m.Read);
        (await MailboxOf(0, Colleague).ListAsync(As(Colleague), new MessageFilter())).Items.Should().ContainSingle(m => m.Id == sent.MessageId);
        (await MailboxOf(1, Sender).ListAsync(As(Sender), new MessageFilter(MailboxFolder.Sent))).Items.Should().ContainSingle(m => m.Id == sent.MessageId && m.Read);
        (await CountAsync("select count(*) from messages where message_id = @id", new { id = sent.MessageId.ToString() })).Should().Be(3, "one copy per mailbox, the sender's included");
        (await CountAsync("select count(*) from notifications where recipient_id = @id and kind = @kind", new { id = patient.SpaceId.ToString(), kind = MailboxGrain.ReceivedKind }))
            .Should().Be(1);
        (await MailboxOf(0, patient).GetAsync(patient.Patient)).Unread.Should().Be(1);
    }

    [Fact]
    public async Task A_send_committed_again_with_the_same_id_adds_no_copy_no_notification_and_no_count()
    {
        var colleagueAddress = await AddressOfAsync(Colleague);
        var message = Message("Compte rendu", colleagueAddress);
        var messageId = Guid.NewGuid();
        await MailboxOf(0, Retrying).CommitSendAsync(As(Retrying), message, messageId, []);

        // A retry of the same commit (its answer lost), reaching the grain from the other silo.
        var again = () => MailboxOf(1, Retrying).CommitSendAsync(As(Retrying), message, messageId, []);

        // Refused by the messages' primary key; what matters here is that nothing is added. (The
        // refusal reaches the caller as the database's unique violation, not as a domain error.)
        await again.Should().ThrowAsync<Exception>();
        (await CountAsync("select count(*) from messages where message_id = @id", new { id = messageId.ToString() })).Should().Be(2);
        (await CountAsync("select count(*) from notifications where kind = @kind and payload::text like @id",
            new { kind = MailboxGrain.ReceivedKind, id = $"%{messageId}%" })).Should().Be(1);
        (await CountAsync("select coalesce(sum(sent), 0) from message_rate where sender = @sender",
            new { sender = MailboxIds.Of(MailboxKind.Professional, Retrying.Rpps) })).Should().Be(1, "the refused retry is rolled back with its count");
        (await MailboxOf(0, Retrying).ListAsync(As(Retrying), new MessageFilter(MailboxFolder.Sent))).Total.Should().Be(1);
    }

    [Fact]
    public async Task A_professional_s_hourly_limit_holds_across_silos_and_lifts_the_next_hour()
    {
        var colleagueAddress = await AddressOfAsync(Colleague);
        for (var i = 0; i < ProfessionalPerHour; i++)
        {
            await MailboxOf(i % 2, Busy).CommitSendAsync(As(Busy), Message($"Message {i}", colleagueAddress), Guid.NewGuid(), []);
        }

        var overLimit = Guid.NewGuid();
        var refused = () => MailboxOf(1, Busy).CommitSendAsync(As(Busy), Message("Un de trop", colleagueAddress), overLimit, []);

        var refusal = (await refused.Should().ThrowAsync<DomainException>()).Which;
        refusal.Error.Should().Be(DomainError.TooManyMessages);
        var untilNextHour = TimeSpan.FromHours(1) - TimeSpan.FromSeconds(cluster.Clock.GetUtcNow().ToUnixTimeSeconds() % 3600);
        refusal.RetryAfter.Should().BeGreaterThan(TimeSpan.Zero).And.BeLessThanOrEqualTo(untilNextHour);
        (await CountAsync("select count(*) from messages where message_id = @id", new { id = overLimit.ToString() })).Should().Be(0, "a refused send stores nothing");
        (await MailboxOf(0, Busy).ListAsync(As(Busy), new MessageFilter(MailboxFolder.Sent))).Total.Should().Be(ProfessionalPerHour);

        cluster.Clock.Advance(untilNextHour);
        var next = await MailboxOf(0, Busy).CommitSendAsync(As(Busy), Message("L'heure suivante", colleagueAddress), Guid.NewGuid(), []);
        next.Recipients.Should().Equal(colleagueAddress);
    }

    [Fact]
    public async Task A_patient_answers_a_professional_who_wrote_within_the_patient_s_hourly_limit()
    {
        var patient = await cluster.ActivatedAsync();
        var writerAddress = await AddressOfAsync(Writer);
        var patientAddress = await AddressOfAsync(patient);

        var first = () => MailboxOf(0, patient).CommitSendAsync(patient.Patient, Message("Question", writerAddress), Guid.NewGuid(), []);
        (await first.Should().ThrowAsync<DomainException>()).Which.Error.Should().Be(DomainError.ConversationRequired, "a patient does not open conversations");

        await MailboxOf(1, Writer).CommitSendAsync(As(Writer), Message("Votre rendez-vous", patientAddress), Guid.NewGuid(), []);
        for (var i = 0; i < PatientPerHour; i++)
        {
            await MailboxOf(i % 2, patient).CommitSendAsync(patient.Patient, Message($"Réponse {i}", writerAddress), Guid.NewGuid(), []);
        }

        var overLimit = () => MailboxOf(1, patient).CommitSendAsync(patient.Patient, Message("Encore une", writerAddress), Guid.NewGuid(), []);
        (await overLimit.Should().ThrowAsync<DomainException>()).Which.Error.Should().Be(DomainError.TooManyMessages);
        (await MailboxOf(0, Writer).ListAsync(As(Writer), new MessageFilter(Query: "Réponse"))).Total.Should().Be(PatientPerHour);
    }

    [Fact]
    public async Task A_patient_who_blocked_a_professional_or_closed_their_space_receives_nothing_from_them()
    {
        var blocking = await cluster.ActivatedAsync();
        var closing = await cluster.ActivatedAsync();
        var blockingAddress = await AddressOfAsync(blocking);
        var closingAddress = await AddressOfAsync(closing);

        await cluster.FromSilo(0).GetGrain<IPatientAccessGrain>(blocking.SpaceId)
            .SetProfessionalAsync(blocking.Patient, Refused.Rpps, new GrantRequest(GrantStatus.Blocked, null, null));
        await cluster.FromSilo(0).GetGrain<IPatientSpaceGrain>(closing.SpaceId).CloseAsync(closing.Patient, PlatformCluster.Password);

        var toBlocking = () => MailboxOf(1, Refused).CommitSendAsync(As(Refused), Message("Bonjour", blockingAddress), Guid.NewGuid(), []);
        var toClosed = () => MailboxOf(1, Refused).CommitSendAsync(As(Refused), Message("Bonjour", closingAddress), Guid.NewGuid(), []);
        var fromClosed = () => MailboxOf(0, closing).CommitSendAsync(closing.Patient, Message("Bonjour", blockingAddress), Guid.NewGuid(), []);

        (await toBlocking.Should().ThrowAsync<DomainException>()).Which.Error.Should().Be(DomainError.RecipientRefuses);
        (await toClosed.Should().ThrowAsync<DomainException>()).Which.Error.Should().Be(DomainError.RecipientClosed);
        (await fromClosed.Should().ThrowAsync<DomainException>()).Which.Error.Should().Be(DomainError.SpaceClosed);
        (await CountAsync("select count(*) from messages where mailbox_id = @id", new { id = MailboxIds.Of(MailboxKind.Professional, Refused.Rpps) }))
            .Should().Be(0, "a refused send stores nothing, not even the sender's copy");
        (await MailboxOf(1, closing).ListAsync(closing.Patient, new MessageFilter())).Total.Should().Be(0, "a closed space's mailbox stays readable, and empty");
    }
}
