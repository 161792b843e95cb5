using System.Diagnostics;
using MonEspaceSante.Api.Realtime;

namespace MonEspaceSante.Tests.Realtime;

/// <summary>
/// The relay at its edges: a connection whose buffer overflows, and the first connection of a
/// silo (the relay then starts from the feed's head). A slow poll makes the start visible.
/// </summary>
public sealed class RelayEdgeTests : RealtimeTestBase
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Realtime:ConnectionBuffer"] = "2",
        ["Realtime:PollInterval"] = "00:00:00.400",
    };

    [Fact]
    public async Task A_connection_that_falls_behind_is_told_to_resync_and_resumes_from_the_feed()
    {
        await AddProfessionalsAsync(Physician);
        var (person, patient) = await ActivePatientAsync();
        await GrantAsync(patient, Physician);
        using var pro = await ProAsync(Physician);
        var id = await FindOkAsync(pro, person);
        await ProListAsync(pro, id);
        var feed = await FeedAsync(patient);
        // Connected after the events, so the relay offers none of them by itself (unless a
        // transaction elsewhere in the cluster holds its head back, which only overflows sooner).
        await using var hub = await HubAsync(patient);

        // A burst larger than the connection's buffer, offered as the relay does (it never waits):
        // the feed's own entries again, which a client de-duplicates by id anyway.
        var burst = await AsRelayReadsAsync(feed);
        var live = Silo.Get<LiveFeed>();
        // The hub subscribes the connection just after the handshake that ends the client's
        // start: a burst published in between reaches nobody, and no resync would ever come.
        var subscribed = Stopwatch.StartNew();
        while (!live.IsConnected(burst[0].RecipientId))
        {
            subscribed.Elapsed.Should().BeLessThan(Patience, "the connection is subscribed to its feed");
            await Task.Delay(10);
        }

        for (var round = 0; round < 20; round++)
        {
            foreach (var notification in burst)
            {
                live.Publish(notification);
            }
        }

        await hub.NextAsync(NotificationHub.ResyncMethod, Patience);
        (await ResumeAllAsync(hub, 0)).Should().Equal(feed, "after a resync the feed gives the client everything");
    }

    [Fact]
    public async Task The_first_connection_of_a_silo_misses_nothing_committed_after_its_resume()
    {
        await AddProfessionalsAsync(Physician);
        var (person, patient) = await ActivePatientAsync();
        await GrantAsync(patient, Physician);
        using var pro = await ProAsync(Physician);
        var id = await FindOkAsync(pro, person);
        Silo.Get<LiveFeed>().HasSubscribers.Should().BeFalse("nobody listens on this silo yet: its relay is idle");

        await using var hub = await HubAsync(patient);
        var resumed = await ResumeAllAsync(hub, 0);
        await ProListAsync(pro, id);

        var feed = await FeedAsync(patient);
        resumed.Should().Equal(feed.SkipLast(1));
        (await ReceiveUntilAsync(hub, feed[^1])).Should().OnlyContain(n => feed.Contains(n), "committed after the resume, so it must come live");
    }
}
