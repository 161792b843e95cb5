using MonEspaceSante.Errors;
using MonEspaceSante.Runtime;
using MonEspaceSante.Storage;
using MonEspaceSante.Tests.Storage;

namespace MonEspaceSante.Tests.Grains;

[Alias("mes.test.ICounterGrain")]
public interface ICounterGrain : IGrainWithGuidKey
{
    /// <summary>Adds one, notifies the count in the same transaction, and returns it with the silo that ran the call.</summary>
    [Alias("Increment")]
    Task<CounterReply> IncrementAsync();

    /// <summary>Adds one and then fails: neither the count nor the notification may remain.</summary>
    [Alias("IncrementThenFail")]
    Task IncrementThenFailAsync();

    /// <summary>Adds one, commits it, and then reports a refusal (as a counted failed attempt does).</summary>
    [Alias("IncrementThenRefuseAfterCommit")]
    Task IncrementThenRefuseAfterCommitAsync();

    [Alias("Read")]
    Task<CounterReply> ReadAsync();
}

[GenerateSerializer, Alias("mes.test.CounterReply")]
public sealed record CounterReply([property: Id(0)] int Count, [property: Id(1)] string Silo);

/// <summary>A grain on the platform's transactional base, for the grain tests only.</summary>
public sealed class CounterGrain([PersistentState("counter", GrainStateStorage.ProviderName)] IPersistentState<CounterState> state, GrainCalls calls)
    : TransactionalGrain<CounterState>(state, calls), ICounterGrain
{
    public Task<CounterReply> IncrementAsync() =>
        CallAsync(ctx =>
        {
            var counter = ctx.State ?? new CounterState();
            counter.Count++;
            ctx.Write(counter, "counting", null);
            ctx.Notify(ctx.GrainId, "counter.counted", $$"""{"count":{{counter.Count}}}""");
            return Task.FromResult(new CounterReply(counter.Count, RuntimeIdentity));
        });

    public Task IncrementThenFailAsync() =>
        CallAsync<bool>(ctx =>
        {
            var counter = ctx.State ?? new CounterState();
            counter.Count++;
            ctx.Write(counter, "counting", null);
            ctx.Notify(ctx.GrainId, "counter.counted", "{}");
            throw new InvalidOperationException("refused after the change");
        });

    public Task IncrementThenRefuseAfterCommitAsync() =>
        CallAsync(ctx =>
        {
            var counter = ctx.State ?? new CounterState();
            counter.Count++;
            ctx.Write(counter, "counting", null);
            ctx.FailAfterCommit(DomainError.TooManyAttempts);
            return Task.FromResult(true);
        });

    public Task<CounterReply> ReadAsync() => Task.FromResult(new CounterReply(Stored?.Count ?? 0, RuntimeIdentity));
}
