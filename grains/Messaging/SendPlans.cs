namespace MonEspaceSante.Messaging;

/// <summary>A platform mailbox found by its address.</summary>
public sealed record FoundMailbox(string MailboxId, string Address, string Kind, string DisplayName);

/// <summary>
/// The recipients' mailboxes found when a send with attachments was prepared, kept by the
/// sender's activation until the send commits, so the commit does not look them up again. A
/// mailbox's id, kind and name never change once created; what may change (a patient's space
/// closing, a block) is checked again at commit. Bounded: a prepared send never committed
/// (its client went away) is forgotten once newer ones push it out.
/// </summary>
public sealed class SendPlans
{
    private const int Capacity = 64;
    private readonly Dictionary<Guid, IReadOnlyList<FoundMailbox>> plans = [];
    private readonly Queue<Guid> order = new();

    public void Keep(Guid messageId, IReadOnlyList<FoundMailbox> found)
    {
        if (!plans.TryAdd(messageId, found))
        {
            return;
        }

        order.Enqueue(messageId);
        while (order.Count > Capacity)
        {
            plans.Remove(order.Dequeue());
        }
    }

    /// <summary>The mailboxes kept for <paramref name="messageId"/> if they cover every address, else null; forgotten either way.</summary>
    public Dictionary<string, FoundMailbox>? Take(Guid messageId, IReadOnlyList<string> addresses)
    {
        if (!plans.Remove(messageId, out var found))
        {
            return null;
        }

        var byAddress = found.ToDictionary(m => m.Address, StringComparer.Ordinal);
        return addresses.All(byAddress.ContainsKey) ? byAddress : null;
    }
}
