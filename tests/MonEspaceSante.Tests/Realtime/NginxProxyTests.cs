using System.Net;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Realtime;

/// <summary>deploy/multi-silo.sh and its nginx configuration: live notifications through the proxy.</summary>
public sealed class NginxProxyTests : RealtimeTestBase
{
    [Fact]
    public async Task Through_nginx_in_front_of_two_silos_the_hub_WebSocket_and_the_event_stream_both_deliver_and_every_error_is_problem_details()
    {
        MultiSiloScript.RequireNginx();
        AlignClockWithRealTime();
        await AddProfessionalsAsync(Physician);
        var (person, patient) = await ActivePatientAsync();
        await GrantAsync(patient, Physician);
        using var inProcessPro = await ProAsync(Physician);
        var patientId = await FindOkAsync(inProcessPro, person);
        var proToken = (await Silo.TokenAsync(Physician.Rpps)).AccessToken;

        var deployment = await MultiSiloScript.StartAsync(ConnectionString, Silo);
        await using (deployment)
        {
            using var patientViaProxy = deployment.Client(BearerOf(patient));
            var before = await FeedAsync(patientViaProxy);
            await using var hub = await HubClient.ConnectAsync(HubUri(deployment.BaseAddress, null), await TicketAsync(patientViaProxy));
            using var streamClient = new HttpClient { BaseAddress = deployment.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
            using var stream = await streamClient.GetAsync(
                $"/api/realtime/stream?after={before[^1].Sequence}&access_token={Uri.EscapeDataString(await TicketAsync(patientViaProxy))}", HttpCompletionOption.ResponseHeadersRead);
            stream.StatusCode.Should().Be(HttpStatusCode.OK);
            stream.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
            await using var body = await stream.Content.ReadAsStreamAsync();
            var events = new ServerSentEvents(body);

            // Whichever silo nginx hands each request to, both connections hear of it at once.
            using var pro = deployment.Client(proToken);
            for (var i = 0; i < 2; i++)
            {
                await ProListAsync(pro, patientId);
            }

            var after = (await FeedAsync(patientViaProxy)).Skip(before.Count).ToList();
            after.Should().HaveCount(2);
            (await ReceiveUntilAsync(hub, after[^1])).Should().Contain(after);
            (await events.NextAsync(Patience)).Should().Be(after[0], "an event goes through nginx as the silo writes it, unbuffered");
            (await events.NextAsync(Patience)).Should().Be(after[1]);

            // nginx refuses a NUL in the path itself (so would Kestrel, before the application):
            // the answer is problem details, never cached, like the silos' own errors, which
            // pass through untouched.
            using var anonymous = deployment.Client();
            await ShouldBeProblemAsync(await anonymous.GetAsync("/api/me%00/documents"), HttpStatusCode.BadRequest, "bad-request");
            using var unauthenticated = await anonymous.GetAsync("/api/me");
            await ShouldBeProblemAsync(unauthenticated, HttpStatusCode.Unauthorized, "unauthenticated");
            unauthenticated.Headers.WwwAuthenticate.Should().ContainSingle().Which.Scheme.Should().Be("Bearer");

            (await deployment.StopAsync()).Should().BeTrue("the script stops when told to:\n" + deployment.Output);
            MultiSiloScript.Listening(deployment.ProxyPort).Should().BeFalse("nginx is stopped with the script");
            deployment.SiloPorts.Should().OnlyContain(port => !MultiSiloScript.Listening(port), "so are the silos it started");
        }
    }
}
