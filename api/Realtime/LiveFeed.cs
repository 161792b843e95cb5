using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using MonEspaceSante.Notifications;

namespace MonEspaceSante.Api.Realtime;

/// <summary>One live connection's queue: what the relay found for its recipient, in order.</summary>
public sealed class LiveSubscription(string recipientId, int capacity) : IDisposable
{
    private readonly Channel<FeedEntry> channel = Channel.CreateBounded<FeedEntry>(new BoundedChannelOptions(capacity)
    {
        SingleReader = true,
        SingleWriter = true,
        // Wait, not DropWrite: with a Drop mode TryWrite reports success while dropping, so the
        // connection would never learn it fell behind. Offer only ever calls TryWrite: nothing waits.
        FullMode = BoundedChannelFullMode.Wait,
    });

    private int lagging;

    public string RecipientId => recipientId;

    public ChannelReader<FeedEntry> Reader => channel.Reader;

    /// <summary>True (once) when notifications had to be dropped since the last call: the client must resume from the feed.</summary>
    public bool TakeLagging() => Interlocked.Exchange(ref lagging, 0) == 1;

    /// <summary>Never waits: a slow or vanished client never holds up the relay or anyone else.</summary>
    internal void Offer(FeedEntry entry)
    {
        if (!channel.Writer.TryWrite(entry))
        {
            Volatile.Write(ref lagging, 1);
        }
    }

    public void Dispose() => channel.Writer.TryComplete();
}

/// <summary>
/// The live connections of this silo, by recipient. Each notification reaches them by the
/// recipient's stream (<see cref="LiveStreamSubscriptions"/>) or by the relay reading the feed,
/// whichever comes first: the other is recognised by the notification's id and dropped.
/// </summary>
public sealed class LiveFeed(IOptions<RealtimeOptions> options)
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<LiveSubscription, byte>> byRecipient = new(StringComparer.Ordinal);
    private readonly RecentDeliveries delivered = new();
    private int count;

    /// <summary>A recipient got their first live connection on this silo.</summary>
    public event Action<string>? RecipientConnected;

    /// <summary>A recipient's last live connection on this silo went away.</summary>
    public event Action<string>? RecipientDisconnected;

    public bool IsConnected(string recipientId) => byRecipient.TryGetValue(recipientId, out var set) && !set.IsEmpty;

    public bool HasSubscribers => Volatile.Read(ref count) > 0;

    public int Count => Volatile.Read(ref count);

    public LiveSubscription Subscribe(string recipientId)
    {
        var subscription = new LiveSubscription(recipientId, options.Value.ConnectionBuffer);
        var set = byRecipient.GetOrAdd(recipientId, _ => new());
        set.TryAdd(subscription, 0);
        Interlocked.Increment(ref count);
        if (set.Count == 1)
        {
            RecipientConnected?.Invoke(recipientId);
        }

        return subscription;
    }

    public void Unsubscribe(LiveSubscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        if (byRecipient.TryGetValue(subscription.RecipientId, out var set) && set.TryRemove(subscription, out _))
        {
            Interlocked.Decrement(ref count);
            if (set.IsEmpty)
            {
                byRecipient.TryRemove(new KeyValuePair<string, ConcurrentDictionary<LiveSubscription, byte>>(subscription.RecipientId, set));
                RecipientDisconnected?.Invoke(subscription.RecipientId);
            }
        }

        subscription.Dispose();
    }

    /// <summary>What the relay read from the feed.</summary>
    public void Publish(StreamedNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        Deliver(notification.RecipientId, notification.Id, notification.ToEntry);
    }

    /// <summary>What a grain published on the recipient's stream.</summary>
    public void Publish(LiveNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        Deliver(notification.RecipientId, notification.Id, notification.ToEntry);
    }

    private void Deliver(string recipientId, Guid id, Func<FeedEntry> entryOf)
    {
        if (byRecipient.TryGetValue(recipientId, out var set) && !set.IsEmpty && delivered.TryMark(id))
        {
            var entry = entryOf();
            foreach (var subscription in set.Keys)
            {
                subscription.Offer(entry);
            }
        }
    }
}
