namespace MonEspaceSante.Tests.Infrastructure;

/// <summary>
/// Holds the next call of a named grain method inside its activation until the test lets it go,
/// as a slow commit would be held: an incoming call filter runs within the activation's turn, so
/// while it waits no other call reaches that grain. Disarmed, it only passes calls on. It also
/// tells when a named method is first called from the silo (<see cref="Watch"/>), so a test
/// knows a grain is waiting on another without guessing with a delay.
/// </summary>
public sealed class GrainCallGate : IIncomingGrainCallFilter, IOutgoingGrainCallFilter
{
    private Hold? armed;
    private Watched? watched;

    public Hold Arm(string methodName)
    {
        var hold = new Hold(methodName);
        Volatile.Write(ref armed, hold);
        return hold;
    }

    /// <summary>Completes when the next call of <paramref name="methodName"/> leaves its caller (before it is delivered).</summary>
    public Task Watch(string methodName)
    {
        var watch = new Watched(methodName);
        Volatile.Write(ref watched, watch);
        return watch.Sent.Task;
    }

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Volatile.Read(ref armed) is { } hold && context.MethodName == hold.Method && Interlocked.CompareExchange(ref armed, null, hold) == hold)
        {
            hold.Entered.TrySetResult();
            await hold.Released.Task;
        }

        await context.Invoke();
    }

    public Task Invoke(IOutgoingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Volatile.Read(ref watched) is { } watch && context.MethodName == watch.Method && Interlocked.CompareExchange(ref watched, null, watch) == watch)
        {
            watch.Sent.TrySetResult();
        }

        return context.Invoke();
    }

    public sealed class Hold(string method)
    {
        public string Method => method;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Watched(string method)
    {
        public string Method => method;

        public TaskCompletionSource Sent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
