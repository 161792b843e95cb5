using System.Net;
using MonEspaceSante.Api.Realtime;

namespace MonEspaceSante.Tests.Realtime;

/// <summary>
/// The fast path: a grain publishes each committed notification on its recipient's Orleans
/// stream, and the silo holding the recipient's connection pushes it. The relay is off here, so
/// whatever arrives came by the stream.
/// </summary>
public sealed class LiveStreamTests : RealtimeTestBase
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Realtime:RelayEnabled"] = "false" };

    [Fact]
    public async Task A_professional_access_reaches_the_patient_hub_and_event_stream_by_the_grain_stream()
    {
        await AddProfessionalsAsync(Physician);
        var (person, patient) = await ActivePatientAsync();
        await GrantAsync(patient, Physician);
        using var pro = await ProAsync(Physician);
        var id = await FindOkAsync(pro, person);
        var before = await FeedAsync(patient);

        await using var hub = await HubAsync(patient);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/realtime/stream?after={before[^1].Sequence}&access_token={Uri.EscapeDataString(await TicketAsync(patient))}");
        using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        await using var body = await response.Content.ReadAsStreamAsync();
        var events = new ServerSentEvents(body);
        await SubscribedAsync(id.ToString());

        await ProListAsync(pro, id);
        await ProListAsync(pro, id);
        var added = (await FeedAsync(patient)).Skip(before.Count).ToList();
        added.Should().HaveCount(2);

        // A notification committed before this connection may still come by the stream once it is
        // subscribed (it was in the stream's queue): the client holds it already and skips it.
        var pushed = new List<Seen>();
        while (pushed.Count < 2)
        {
            var next = await NextNotificationAsync(hub);
            if (next.Sequence > before[^1].Sequence)
            {
                pushed.Add(next);
            }
        }

        pushed.Should().Equal(added);
        (await events.NextAsync(Patience)).Should().Be(added[0]);
        (await events.NextAsync(Patience)).Should().Be(added[1]);
    }

    /// <summary>The silo subscribes to a recipient's stream once their first connection is here; until then the relay (off in this class) would deliver.</summary>
    private async Task SubscribedAsync(string recipientId)
    {
        var subscriptions = Silo.Get<LiveStreamSubscriptions>();
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (!subscriptions.IsSubscribed(recipientId))
        {
            DateTimeOffset.UtcNow.Should().BeBefore(deadline, "the silo subscribes to a connected recipient's stream");
            await Task.Delay(20);
        }
    }
}

/// <summary>With both paths on (the default), each notification reaches a connection once: the second path's copy is recognised by its id.</summary>
public sealed class LiveStreamAndRelayTests : RealtimeTestBase
{
    [Fact]
    public async Task Each_notification_is_pushed_once_although_the_stream_and_the_relay_both_carry_it()
    {
        await AddProfessionalsAsync(Physician);
        var (person, patient) = await ActivePatientAsync();
        await GrantAsync(patient, Physician);
        using var pro = await ProAsync(Physician);
        var id = await FindOkAsync(pro, person);
        var before = await FeedAsync(patient);
        await using var hub = await HubAsync(patient);
        var subscriptions = Silo.Get<LiveStreamSubscriptions>();
        for (var waited = 0; !subscriptions.IsSubscribed(id.ToString()); waited++)
        {
            waited.Should().BeLessThan(750, "the silo subscribes to a connected recipient's stream");
            await Task.Delay(20);
        }

        for (var read = 0; read < 12; read++)
        {
            await ProListAsync(pro, id);
        }

        var added = (await FeedAsync(patient)).Skip(before.Count).ToList();
        var received = await ReceiveUntilAsync(hub, added[^1]);
        await Task.Delay(500);
        while (hub.Pushes.TryRead(out var late))
        {
            received.Add(Seen.From(late.Argument!.Value));
        }

        received.Select(n => n.Id).Should().OnlyHaveUniqueItems("a notification delivered by one path is not delivered again by the other");
        // What committed before the connection may still come by the stream (it was in its queue); the rest is exactly what was added.
        received.Where(n => n.Sequence <= before[^1].Sequence).Should().BeSubsetOf(before);
        received.Where(n => n.Sequence > before[^1].Sequence).Should().BeEquivalentTo(added);
    }
}
