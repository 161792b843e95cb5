using System.Collections.Concurrent;
using MonEspaceSante.Api.Realtime;

namespace MonEspaceSante.Bench;

/// <summary>
/// Splits the latency in two: an in-process subscription beside the clients' for a sample of
/// recipients records when the relay offered each notification, before any push is written.
/// </summary>
internal sealed class RelayProbe : IAsyncDisposable
{
    private readonly LiveFeed live;
    private readonly List<LiveSubscription> subscriptions;
    private readonly Task[] readers;
    private readonly ConcurrentDictionary<Guid, long> offered = new();

    public RelayProbe(LiveFeed live, IEnumerable<string> recipients)
    {
        this.live = live;
        subscriptions = recipients.Select(live.Subscribe).ToList();
        readers = subscriptions.Select(s => Task.Run(() => ReadAsync(s))).ToArray();
    }

    /// <summary>When the relay offered each notification (UTC ticks), by id.</summary>
    public IReadOnlyDictionary<Guid, long> Offered => offered;

    public async ValueTask DisposeAsync()
    {
        foreach (var subscription in subscriptions)
        {
            live.Unsubscribe(subscription);
        }

        await Task.WhenAll(readers);
    }

    private async Task ReadAsync(LiveSubscription subscription)
    {
        await foreach (var entry in subscription.Reader.ReadAllAsync())
        {
            offered.TryAdd(entry.Id, DateTime.UtcNow.Ticks);
        }
    }
}
