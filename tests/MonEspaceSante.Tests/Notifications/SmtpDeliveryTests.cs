using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Dapper;
using MonEspaceSante.Tests.Infrastructure;
using Npgsql;

namespace MonEspaceSante.Tests.Notifications;

/// <summary>
/// Queued e-mails delivered to a real SMTP server on loopback (maildev, started by the test
/// script), and retried with backoff when the relay is down: nothing is lost.
/// </summary>
public sealed class SmtpDeliveryTests : SpaceTestBase
{
    private const string From = "Mon Espace Santé <alertes@mes-test.example>";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(MailDev.Settings()) { ["Mail:From"] = From };

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task<(int Attempts, string Status, string? Error)> JobAsync(string idPrefix)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return await connection.QuerySingleAsync<(int, string, string?)>(
            "select attempts, status, last_error from jobs where id like @prefix", new { prefix = idPrefix + "%" });
    }

    [Fact]
    public async Task The_activation_code_travels_over_smtp_and_activates_the_space()
    {
        var person = NewPerson();
        await EnrolAsync(person);
        var mail = (await MailDev.WaitForAsync(person.Email!)).Should().ContainSingle().Subject;
        mail.Subject.Should().Be("Votre code d'activation Mon Espace Santé");
        var code = MailPickup.ActivationCodePattern().Match(mail.Body).Value;
        code.Should().NotBeEmpty();
        (await ActivateAsync(person, code)).StatusCode.Should().Be(HttpStatusCode.OK);
        await Silo.RunJobsAsync();
        (await MailDev.WaitForAsync(person.Email!, 2)).Should().Contain(m => m.Subject.Contains("activé", StringComparison.Ordinal));
        Directory.Exists(Path.Combine(DataPath, "mail")).Should().BeFalse("with a relay configured nothing goes to the pickup folder");
    }

    [Fact]
    public async Task Mail_carries_the_configured_sender_and_a_message_id_on_the_senders_domain()
    {
        // Large mailbox providers refuse or junk mail without a Message-ID; one on our own
        // domain (not the silo's host name) also keeps internal host names out of every mail.
        var person = NewPerson();
        await EnrolAsync(person);
        await MailDev.WaitForAsync(person.Email!);
        var mail = (await MailDev.RawToAsync(person.Email!)).Should().ContainSingle().Subject;
        mail.GetProperty("headers").TryGetProperty("message-id", out var messageId).Should().BeTrue("the mail must carry a Message-ID");
        messageId.GetString().Should().MatchRegex("^<[^@<>]+@mes-test\\.example>$");
        var from = mail.GetProperty("from")[0];
        from.GetProperty("address").GetString().Should().Be("alertes@mes-test.example");
        from.GetProperty("name").GetString().Should().Be("Mon Espace Santé");
        mail.GetProperty("envelope").GetProperty("from").GetProperty("address").GetString().Should().Be("alertes@mes-test.example");
    }

    [Fact]
    public async Task With_EnableSsl_a_relay_without_starttls_gets_nothing_in_clear_text()
    {
        var person = NewPerson();
        await using var tls = new SiloFactory(ConnectionString, Path.Combine(DataPath, "..", "silo-tls"), Silo.Clock, new Dictionary<string, string?>(MailDev.Settings())
        {
            ["Mail:EnableSsl"] = "true",
        });
        (await tls.ImportAsync(EnrolmentFiles.Csv([person]))).Accepted.Should().Be(1);
        await tls.RunJobsAsync();

        var job = await JobAsync("activation:");
        job.Status.Should().Be("queued", "the mail waits for a retry");
        job.Error.Should().NotBeNullOrEmpty();
        (await MailDev.ToAsync(person.Email!)).Should().BeEmpty("maildev offers no STARTTLS, so nothing may be sent");
    }

    [Fact]
    public async Task A_relay_that_is_down_delays_delivery_with_backoff_and_another_silo_delivers_later()
    {
        var person = NewPerson();
        var deadPort = ClosedPort();
        await using var down = new SiloFactory(ConnectionString, Path.Combine(DataPath, "..", "silo-down"), Silo.Clock, new Dictionary<string, string?>
        {
            ["Mail:SmtpHost"] = "127.0.0.1",
            ["Mail:SmtpPort"] = deadPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var progress = await down.ImportAsync(EnrolmentFiles.Csv([person]));
        progress.Accepted.Should().Be(1);
        await down.RunJobsAsync();

        var failed = await JobAsync("activation:");
        failed.Attempts.Should().Be(1);
        failed.Status.Should().Be("queued", "a failed delivery is kept for a retry, not dropped");
        failed.Error.Should().NotBeNullOrEmpty();

        (await Silo.RunJobsAsync()).Should().Be(0, "the retry waits for its backoff");
        await down.RunJobsAsync();
        (await JobAsync("activation:")).Attempts.Should().Be(1);

        Silo.Clock.Advance(TimeSpan.FromSeconds(6));
        await down.RunJobsAsync();
        var second = await JobAsync("activation:");
        second.Attempts.Should().Be(2);
        second.Status.Should().Be("queued");

        Silo.Clock.Advance(TimeSpan.FromSeconds(6));
        (await Silo.RunJobsAsync()).Should().Be(0, "the second backoff is longer (10 s)");
        Silo.Clock.Advance(TimeSpan.FromSeconds(5));
        (await Silo.RunJobsAsync()).Should().Be(1);
        var delivered = await JobAsync("activation:");
        delivered.Status.Should().Be("done");
        delivered.Attempts.Should().Be(3);
        (await MailDev.WaitForAsync(person.Email!)).Should().ContainSingle(m => m.Subject == "Votre code d'activation Mon Espace Santé");
    }
}
