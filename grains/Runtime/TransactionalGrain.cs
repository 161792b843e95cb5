using System.Text.Json;
using MonEspaceSante.Errors;
using MonEspaceSante.Jobs;
using MonEspaceSante.Notifications;
using MonEspaceSante.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Storage;
using Orleans.Streams;

namespace MonEspaceSante.Runtime;

/// <summary>
/// An Orleans grain whose calls commit their state change and their rows (notifications, jobs,
/// the grain's own side tables) in one database transaction. The state is loaded once per
/// activation by <see cref="GrainStateStorage"/> and kept in memory; a call runs its body on it
/// inside a <see cref="GrainTransaction"/>, and the state's write joins that transaction with
/// its version check. If the commit fails, or the body throws after changing the state in
/// memory, the state is put back as it was stored, so a refused call leaves nothing behind.
/// A write that loses to another activation (possible only while the cluster heals a split)
/// reloads the state and runs the call again, a bounded number of times.
/// </summary>
public abstract class TransactionalGrain<TState>(IPersistentState<TState> storage, GrainCalls calls) : Grain
    where TState : class, new()
{
    private readonly ActivationMemory memory = new();
    private byte[]? snapshot;
    private (byte[] Snapshot, TState State)? committedCopy;
    private int running;

    protected GrainCalls Calls => calls;

    /// <summary>What the activation remembers across calls, for the parts of a method that run before its call.</summary>
    protected ActivationMemory Memory => memory;

    /// <summary>The state as stored, or null when this grain has never been written.</summary>
    protected TState? Stored => storage.RecordExists ? storage.State : null;

    /// <summary>
    /// The state as last committed, for a read interleaved with a call in progress (which changes
    /// <see cref="Stored"/> in place before it commits, and may yet roll back). Outside a call it
    /// is <see cref="Stored"/> itself; inside one, a copy of the last commit, made once per commit.
    /// </summary>
    protected TState? Committed
    {
        get
        {
            if (running == 0)
            {
                return Stored;
            }

            if (snapshot is null)
            {
                return null;
            }

            if (committedCopy is not { } copy || !ReferenceEquals(copy.Snapshot, snapshot))
            {
                copy = (snapshot, JsonSerializer.Deserialize<TState>(snapshot, calls.Json)!);
                committedCopy = copy;
            }

            return copy.State;
        }
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        TakeSnapshot();
        return base.OnActivateAsync(cancellationToken);
    }

    protected async Task<TResult> CallAsync<TResult>(Func<GrainContext<TState>, Task<TResult>> body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryCallAsync(body, cancellationToken).ConfigureAwait(true);
            }
            catch (Exception exception) when (IsLostRace(exception) && attempt < GrainCalls.MaxAttempts)
            {
                calls.Logger.LogDebug("Grain {GrainId} lost a write race (attempt {Attempt}); reloading its state", this.GetGrainId(), attempt);
                await storage.ReadStateAsync(cancellationToken).ConfigureAwait(true);
                TakeSnapshot();
                memory.Clear();
            }
            catch (Exception exception) when (IsLostRace(exception))
            {
                throw new DomainException(DomainError.Conflict);
            }
        }
    }

    // Every await here stays on the activation's scheduler (ConfigureAwait(true)): Orleans
    // refuses access to the state from any other thread ("activation access violation").
    private async Task<TResult> TryCallAsync<TResult>(Func<GrainContext<TState>, Task<TResult>> body, CancellationToken cancellationToken)
    {
        running++;
        try
        {
            return await RunCallAsync(body, cancellationToken).ConfigureAwait(true);
        }
        finally
        {
            running--;
        }
    }

    private async Task<TResult> RunCallAsync<TResult>(Func<GrainContext<TState>, Task<TResult>> body, CancellationToken cancellationToken)
    {
        var database = calls.Database;
        await using var transaction = (await GrainTransaction.BeginAsync(database, cancellationToken).ConfigureAwait(true)).Enlist();
        var context = new GrainContext<TState>(
            GrainStateStorage.KeyOf(this.GetGrainId()),
            Stored,
            0,
            calls.Time.GetUtcNow(),
            transaction.Connection,
            transaction.Transaction,
            memory);
        TResult result;
        List<LiveNotification>? live = null;
        try
        {
            result = await body(context).ConfigureAwait(true);
            if (context.Changed)
            {
                transaction.Status = context.Status;
                transaction.DueAt = context.DueAt;
                if (context.Deleted)
                {
                    await storage.ClearStateAsync(cancellationToken).ConfigureAwait(true);
                }
                else
                {
                    storage.State = context.State!;
                    await storage.WriteStateAsync(cancellationToken).ConfigureAwait(true);
                }
            }

            // Row writes the body left for the commit ride with the first notification where the
            // provider can send both in one round trip; otherwise they go first, on their own.
            var alongside = context.Writes.Count > 0 && context.Notifications.Count > 0 && FeedWriter.CanSendAlongside(database.Dialect, context.Writes) ? context.Writes : [];
            if (alongside.Count == 0)
            {
                foreach (var write in context.Writes)
                {
                    await write.RunAsync(transaction.Connection, transaction.Transaction).ConfigureAwait(true);
                }
            }

            foreach (var notification in context.Notifications)
            {
                var appended = await FeedWriter.AppendAsync(transaction.Connection, transaction.Transaction, database.Dialect, notification, alongside).ConfigureAwait(true);
                alongside = [];
                if (appended.Live)
                {
                    (live ??= []).Add(new LiveNotification(notification.RecipientId, notification.Id, appended.Sequence, notification.Kind, notification.PayloadJson, notification.At));
                }
            }

            foreach (var job in context.Jobs)
            {
                await JobQueue.InsertAsync(transaction.Connection, transaction.Transaction, job).ConfigureAwait(true);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(true);
        }
        catch
        {
            await RestoreAsync(transaction.StateWritten, cancellationToken).ConfigureAwait(true);
            throw;
        }

        if (context.Changed)
        {
            TakeSnapshot();
        }

        foreach (var action in context.Committed)
        {
            action();
        }

        if (context.Notifications.Count > 0)
        {
            calls.FeedSignal.Pulse();
        }

        if (live is not null)
        {
            PublishLive(live);
        }

        if (context.FailureAfterCommit is { } failure)
        {
            throw failure;
        }

        return result;
    }

    /// <summary>
    /// The fast path to live connections: each committed notification whose recipient holds a
    /// live lease (someone is connected, <see cref="LiveLeases"/>) on the recipient's stream.
    /// Not awaited: the call has committed and answers now; a lost publication (a silo dying, a
    /// stream not yet subscribed) costs latency only, as each silo's relay still reads the feed.
    /// </summary>
    private void PublishLive(List<LiveNotification> committed)
    {
        if (ServiceProvider.GetKeyedService<IStreamProvider>(LiveStreams.ProviderName) is not { } provider)
        {
            return;
        }

        foreach (var notification in committed)
        {
            var published = provider.GetStream<LiveNotification>(LiveStreams.Of(notification.RecipientId)).OnNextAsync(notification);
            _ = published.ContinueWith(
                static (task, state) => ((ILogger)state!).LogDebug(task.Exception, "A live notification was not published; the relay will deliver it"),
                calls.Logger, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// Puts the state back as stored. Before the write joined the transaction only memory can be
    /// off (the body changed the state object), and the snapshot is enough; after it, the ETag
    /// moved too, and only the database knows which write won.
    /// </summary>
    private async Task RestoreAsync(bool written, CancellationToken cancellationToken)
    {
        if (written)
        {
            await storage.ReadStateAsync(cancellationToken).ConfigureAwait(true);
            TakeSnapshot();
            return;
        }

        storage.State = snapshot is null ? new TState() : JsonSerializer.Deserialize<TState>(snapshot, calls.Json)!;
    }

    private void TakeSnapshot() =>
        snapshot = storage.RecordExists ? JsonSerializer.SerializeToUtf8Bytes(storage.State, calls.Json) : null;

    private bool IsLostRace(Exception exception) =>
        exception is InconsistentStateException || calls.Database.Dialect.IsTransient(exception);
}
