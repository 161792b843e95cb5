using System.Net;
using MonEspaceSante.Api.Realtime;

namespace MonEspaceSante.Tests.Realtime;

/// <summary>
/// The relay offers notifications in commit order, by transaction id. Two writers to one feed
/// can make that differ from sequence order (the later sequence in the older transaction), so a
/// stream may see sequence N+2 before N+1. The relay and the live streams are off here and the
/// test offers them so.
/// </summary>
public sealed class StreamOrderTests : RealtimeTestBase
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Realtime:RelayEnabled"] = "false", ["Realtime:StreamsEnabled"] = "false" };

    [Fact]
    public async Task The_event_stream_sends_every_sequence_once_in_order_even_when_live_entries_come_out_of_order()
    {
        await AddProfessionalsAsync(Physician);
        var (person, patient) = await ActivePatientAsync();
        await GrantAsync(patient, Physician);
        using var pro = await ProAsync(Physician);
        var id = await FindOkAsync(pro, person);
        var before = await FeedAsync(patient);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/realtime/stream?after={before[^1].Sequence}&access_token={Uri.EscapeDataString(await TicketAsync(patient))}");
        using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        await using var body = await response.Content.ReadAsStreamAsync();
        var events = new ServerSentEvents(body);

        await ProListAsync(pro, id);
        await ProListAsync(pro, id);
        var added = (await FeedAsync(patient)).Skip(before.Count).ToList();
        var offered = (await AsRelayReadsAsync(added)).OrderByDescending(n => n.Sequence).ToList();
        offered.Select(n => n.Sequence).Should().Equal(added[1].Sequence, added[0].Sequence);
        foreach (var notification in offered)
        {
            Silo.Get<LiveFeed>().Publish(notification);
        }

        (await events.NextAsync(Patience)).Should().Be(added[0]);
        (await events.NextAsync(Patience)).Should().Be(added[1]);
    }
}
