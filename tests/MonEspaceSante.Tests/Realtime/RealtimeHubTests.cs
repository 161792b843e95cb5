using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using MonEspaceSante.Access;
using MonEspaceSante.Api.Realtime;
using MonEspaceSante.Messaging;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Realtime;

/// <summary>The hub and the event stream on one in-process silo: who may connect, who hears what, resuming.</summary>
public sealed class RealtimeHubTests : RealtimeTestBase
{
    private async Task<int> WebSocketStatusAsync(string? accessToken)
    {
        try
        {
            using var socket = await Silo.Server.CreateWebSocketClient().ConnectAsync(HubUri(Silo.Server.BaseAddress, accessToken), CancellationToken.None);
            return 101;
        }
        catch (InvalidOperationException exception) when (exception.Message.Contains("status code", StringComparison.OrdinalIgnoreCase))
        {
            // The in-memory server's client reports a refused upgrade as "Incomplete handshake, status code: N".
            return int.Parse(exception.Message[(exception.Message.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private async Task<HttpStatusCode> NegotiateStatusAsync(string? bearer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, NotificationHub.Path + "/negotiate?negotiateVersion=1");
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await Client.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task Without_a_valid_ticket_the_hub_and_the_stream_refuse_with_401()
    {
        var (_, patient) = await ActivePatientAsync();
        var ticket = await TicketAsync(patient);
        var tampered = ticket[..^4] + (ticket[^4] == 'A' ? 'B' : 'A') + ticket[^3..];
        var forged = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(96)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        (await NegotiateStatusAsync(null)).Should().Be(HttpStatusCode.Unauthorized);
        (await NegotiateStatusAsync(forged)).Should().Be(HttpStatusCode.Unauthorized);
        (await NegotiateStatusAsync(tampered)).Should().Be(HttpStatusCode.Unauthorized);
        (await NegotiateStatusAsync(ticket)).Should().Be(HttpStatusCode.OK, "the same ticket, untouched, is accepted");

        (await WebSocketStatusAsync(null)).Should().Be(401);
        (await WebSocketStatusAsync(forged)).Should().Be(401);
        (await WebSocketStatusAsync(tampered)).Should().Be(401);
        (await WebSocketStatusAsync(BearerOf(patient))).Should().Be(401, "a session token never travels in a URL: only tickets are read from the query");
        using var stream = await Client.GetAsync("/api/realtime/stream?access_token=" + Uri.EscapeDataString(forged), HttpCompletionOption.ResponseHeadersRead);
        stream.StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        Silo.Clock.Advance(TimeSpan.FromSeconds(61));
        (await WebSocketStatusAsync(ticket)).Should().Be(401, "a ticket opens the hub for one minute");
        (await NegotiateStatusAsync(ticket)).Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Operators_software_and_anonymous_callers_get_no_ticket()
    {
        using var @operator = Silo.Operator();
        using var software = Silo.Software();
        (await @operator.PostAsync("/api/realtime/tickets", null)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await software.PostAsync("/api/realtime/tickets", null)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await Client.PostAsync("/api/realtime/tickets", null)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        // Nor do their credentials open the hub themselves.
        (await NegotiateStatusAsync(SiloFactory.OperatorKey)).Should().Be(HttpStatusCode.Forbidden);
        (await NegotiateStatusAsync(SiloFactory.ClientKey)).Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_patient_hears_their_own_feed_and_never_another_patients()
    {
        await AddProfessionalsAsync(Physician);
        var (first, firstPatient) = await ActivePatientAsync();
        var (second, secondPatient) = await ActivePatientAsync();
        await GrantAsync(firstPatient, Physician);
        await GrantAsync(secondPatient, Physician);
        await using var firstHub = await HubAsync(firstPatient);
        await using var secondHub = await HubAsync(secondPatient);
        using var pro = await ProAsync(Physician);
        var firstId = await FindOkAsync(pro, first);
        var secondId = await FindOkAsync(pro, second);

        // The second patient's event commits first: had it been misrouted, it would arrive first.
        await ProListAsync(pro, secondId);
        await ProListAsync(pro, firstId);

        var firstFeed = await FeedAsync(firstPatient);
        var secondFeed = await FeedAsync(secondPatient);
        firstFeed[^1].Kind.Should().Be(AccessGate.AllowedKind);
        var firstHeard = await ReceiveUntilAsync(firstHub, firstFeed[^1]);
        var secondHeard = await ReceiveUntilAsync(secondHub, secondFeed[^1]);
        // The relay may also offer older entries (at least once), but only ever this patient's own.
        firstHeard.Should().Contain(firstFeed.TakeLast(2), "the search and the list").And.OnlyContain(n => firstFeed.Contains(n));
        secondHeard.Should().Contain(secondFeed.TakeLast(2)).And.OnlyContain(n => secondFeed.Contains(n));
        firstFeed.Select(n => n.Id).Should().NotIntersectWith(secondFeed.Select(n => n.Id));
    }

    [Fact]
    public async Task A_professional_hears_their_own_feed_a_message_received()
    {
        await AddProfessionalsAsync(Physician, OtherPhysician);
        using var sender = await ProAsync(Physician);
        using var recipient = await ProAsync(OtherPhysician);
        await using var recipientHub = await HubAsync(recipient);
        await using var senderHub = await HubAsync(sender);
        var address = (await sender.GetFromJsonAsync<JsonElement>($"/api/pro/mailboxes/{OtherPhysician.Rpps}")).GetProperty("address").GetString();

        using var sent = await sender.PostAsJsonAsync("/api/pro/mailbox/messages", new { to = new[] { address }, subject = "Avis", body = "Pouvez-vous voir ce patient ?" });
        sent.StatusCode.Should().Be(HttpStatusCode.Created, await sent.Content.ReadAsStringAsync());

        var push = await NextNotificationAsync(recipientHub);
        push.Kind.Should().Be(MailboxGrain.ReceivedKind);
        (await FeedAsync(recipient, "/api/pro/notifications")).Should().Equal(push);
        (await FeedAsync(sender, "/api/pro/notifications")).Should().BeEmpty("the sender's own feed holds nothing for its send");
        senderHub.Pushes.TryRead(out _).Should().BeFalse();
        senderHub.Unhandled.Should().BeEmpty("nor any call to a method the client does not handle");
    }

    [Fact]
    public async Task Resume_returns_exactly_the_entries_after_the_given_sequence_and_refuses_a_negative_one()
    {
        await AddProfessionalsAsync(Physician);
        var (person, patient) = await ActivePatientAsync();
        await GrantAsync(patient, Physician);
        using var pro = await ProAsync(Physician);
        var id = await FindOkAsync(pro, person);
        for (var i = 0; i < 3; i++)
        {
            await ProListAsync(pro, id);
        }

        var feed = await FeedAsync(patient);
        feed.Select(n => n.Sequence).Should().Equal(Enumerable.Range(1, feed.Count).Select(i => (long)i));
        await using var hub = await HubAsync(patient);

        var middle = feed[feed.Count / 2].Sequence;
        (await ResumeAllAsync(hub, 0)).Should().Equal(feed);
        (await ResumeAllAsync(hub, middle)).Should().Equal(feed.Where(n => n.Sequence > middle));
        (await ResumeAllAsync(hub, feed[^1].Sequence)).Should().BeEmpty();
        var negative = async () => await hub.ResumeAsync(-1);
        (await negative.Should().ThrowAsync<HubException>()).WithMessage("*afterSequence must be >= 0*");
    }

    [Fact]
    public async Task The_event_stream_replays_what_follows_Last_Event_ID_then_continues_live()
    {
        await AddProfessionalsAsync(Physician);
        var (person, patient) = await ActivePatientAsync();
        await GrantAsync(patient, Physician);
        using var pro = await ProAsync(Physician);
        var id = await FindOkAsync(pro, person);
        await ProListAsync(pro, id);
        var before = await FeedAsync(patient);
        var lastEventId = before[^3].Sequence;

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/realtime/stream?access_token=" + Uri.EscapeDataString(await TicketAsync(patient)));
        request.Headers.Add("Last-Event-ID", lastEventId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
        await using var body = await response.Content.ReadAsStreamAsync();
        var events = new ServerSentEvents(body);

        var replayed = new[] { await events.NextAsync(Patience), await events.NextAsync(Patience) };
        replayed.Should().Equal(before.Skip(before.Count - 2));

        await ProListAsync(pro, id);
        var live = await events.NextAsync(Patience);
        (await FeedAsync(patient))[^1].Should().Be(live);
        live.Sequence.Should().Be(before[^1].Sequence + 1);
    }

    [Fact]
    public async Task A_vanished_client_does_not_hold_up_the_others()
    {
        await AddProfessionalsAsync(Physician);
        var (person, patient) = await ActivePatientAsync();
        await GrantAsync(patient, Physician);
        var vanished = await HubAsync(patient);
        await using var listening = await HubAsync(patient);
        vanished.Abort();
        using var pro = await ProAsync(Physician);
        var id = await FindOkAsync(pro, person);
        await ProListAsync(pro, id);
        await ProListAsync(pro, id);

        var feed = await FeedAsync(patient);
        (await ReceiveUntilAsync(listening, feed[^1])).Should().Contain(feed.TakeLast(3), "the search and both lists reach the connection still there");
        await vanished.DisposeAsync();
    }
}
