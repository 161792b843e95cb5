namespace MonEspaceSante.Tests.Infrastructure;

/// <summary>
/// Holds the next call of a named grain method inside its activation until the test lets it go,
/// as a slow commit would be held: an incoming call filter runs within the activation's turn, so
/// while it waits no other call reaches that grain. Disarmed, it only passes calls on.
/// </summary>
public sealed class GrainCallGate : IIncomingGrainCallFilter
{
    private Hold? armed;

    public Hold Arm(string methodName)
    {
        var hold = new Hold(methodName);
        Volatile.Write(ref armed, hold);
        return hold;
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

    public sealed class Hold(string method)
    {
        public string Method => method;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
