using Microsoft.Extensions.Options;
using MonEspaceSante.Api.Realtime;
using MonEspaceSante.Notifications;

namespace MonEspaceSante.Tests.Realtime;

/// <summary>The relay's fan-out to this silo's connections never waits for any one of them.</summary>
public sealed class LiveFeedTests
{
    private static StreamedNotification Notification(string recipient, long sequence) =>
        new(new FeedPosition(1, sequence), recipient, Guid.NewGuid(), sequence, "test.kind", "{}", DateTimeOffset.UnixEpoch);

    [Fact]
    public void A_connection_never_read_falls_behind_alone_and_is_marked_lagging_once()
    {
        var live = new LiveFeed(Options.Create(new RealtimeOptions { ConnectionBuffer = 4 }));
        var stalled = live.Subscribe("patient-1");
        var reading = live.Subscribe("patient-1");
        var other = live.Subscribe("patient-2");
        var read = new List<long>();

        for (var sequence = 1L; sequence <= 10; sequence++)
        {
            // Publish returns at once even though one queue is full: it is what the relay calls.
            live.Publish(Notification("patient-1", sequence));
            while (reading.Reader.TryRead(out var entry))
            {
                read.Add(entry.Sequence);
            }
        }

        read.Should().Equal(Enumerable.Range(1, 10).Select(i => (long)i), "the connection that reads gets everything, in order");
        reading.TakeLagging().Should().BeFalse();
        stalled.TakeLagging().Should().BeTrue("what it missed must be fetched from the feed");
        stalled.TakeLagging().Should().BeFalse("told once per episode");
        var kept = new List<long>();
        while (stalled.Reader.TryRead(out var entry))
        {
            kept.Add(entry.Sequence);
        }

        kept.Should().Equal(1, 2, 3, 4);
        other.Reader.TryRead(out _).Should().BeFalse("another recipient's connection hears nothing of this feed");
        live.Count.Should().Be(3);
        live.Unsubscribe(stalled);
        live.Count.Should().Be(2);
    }
}
