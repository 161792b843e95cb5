namespace MonEspaceSante.Notifications;

/// <summary>
/// Wakes this silo's feed readers when a grain call on this silo has committed notifications,
/// so the relay need not wait out its polling interval for what was written here. It is
/// in-process only: commits on other silos are still found by polling, and nothing is sent to
/// the database (docs/decisions.md, "No NOTIFY inside a grain call"). Missing a pulse costs latency,
/// never a notification: the feed stays the truth.
/// </summary>
public sealed class FeedSignal
{
    private TaskCompletionSource next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next pulse after it was taken: take it before reading, then wait on it.</summary>
    public Task Next => Volatile.Read(ref next).Task;

    public void Pulse() =>
        Interlocked.Exchange(ref next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
