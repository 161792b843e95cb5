using System.Collections.Concurrent;

namespace MonEspaceSante.Api.Realtime;

/// <summary>
/// The ids of the notifications this silo delivered lately, so the one that comes second (by
/// stream or by the relay) is dropped. Bounded: the oldest are forgotten first. Forgetting one
/// can only cause a duplicate, which clients already tolerate (delivery is at least once; the
/// event stream also skips a sequence it has sent).
/// </summary>
internal sealed class RecentDeliveries(int capacity = 100_000)
{
    private readonly ConcurrentDictionary<Guid, byte> ids = new();
    private readonly ConcurrentQueue<Guid> order = new();

    /// <summary>True the first time an id is seen (it is then remembered).</summary>
    public bool TryMark(Guid id)
    {
        if (!ids.TryAdd(id, 0))
        {
            return false;
        }

        order.Enqueue(id);
        while (order.Count > capacity && order.TryDequeue(out var oldest))
        {
            ids.TryRemove(oldest, out _);
        }

        return true;
    }
}
