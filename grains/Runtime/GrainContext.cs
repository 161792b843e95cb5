using System.Data.Common;
using MonEspaceSante.Errors;
using MonEspaceSante.Jobs;
using MonEspaceSante.Notifications;
using MonEspaceSante.Storage;

namespace MonEspaceSante.Runtime;

/// <summary>
/// What a grain method sees during one call: its state as loaded, the transaction, and the
/// effects to commit with it (new state, feed notifications, jobs).
/// </summary>
public sealed class GrainContext<TState>
    where TState : class
{
    private readonly List<NotificationRecord> notifications = [];
    private readonly List<JobRecord> jobs = [];
    private readonly List<CommitWrite> writes = [];
    private List<Action>? committed;

    public GrainContext(string grainId, TState? state, long version, DateTimeOffset now, DbConnection connection, DbTransaction transaction, ActivationMemory? memory = null)
    {
        Memory = memory ?? new ActivationMemory();
        GrainId = grainId;
        State = state;
        Version = version;
        Now = now;
        Connection = connection;
        Transaction = transaction;
    }

    public string GrainId { get; }

    /// <summary>The state as stored, or null when the grain has never been written.</summary>
    public TState? State { get; private set; }

    public long Version { get; }

    public DateTimeOffset Now { get; }

    /// <summary>For the grain's own side tables (directory claims, sessions): same transaction.</summary>
    public DbConnection Connection { get; }

    public DbTransaction Transaction { get; }

    /// <summary>What the activation remembers across calls (not state: see <see cref="ActivationMemory"/>).</summary>
    public ActivationMemory Memory { get; }

    internal bool Changed { get; private set; }
    internal bool Deleted { get; private set; }
    internal string? Status { get; private set; }
    internal DateTimeOffset? DueAt { get; private set; }
    internal DomainException? FailureAfterCommit { get; private set; }
    internal IReadOnlyList<NotificationRecord> Notifications => notifications;
    internal IReadOnlyList<JobRecord> Jobs => jobs;
    internal IReadOnlyList<CommitWrite> Writes => writes;
    internal IReadOnlyList<Action> Committed => committed ?? (IReadOnlyList<Action>)[];

    /// <summary>Replaces the state; <paramref name="status"/> and <paramref name="dueAt"/> are indexed for schedulers.</summary>
    public void Write(TState state, string? status, DateTimeOffset? dueAt)
    {
        State = state;
        Status = status;
        DueAt = dueAt;
        Changed = true;
        Deleted = false;
    }

    public void Delete()
    {
        Deleted = true;
        Changed = true;
    }

    public void Notify(string recipientId, string kind, string payloadJson) =>
        notifications.Add(new NotificationRecord(recipientId, Guid.NewGuid(), kind, payloadJson, Now));

    public void Enqueue(JobRecord job) => jobs.Add(job);

    /// <summary>Makes <paramref name="write"/> with the commit, in this transaction, sent with the first notification when there is one (<see cref="CommitWrite"/>).</summary>
    public void WriteAtCommit(CommitWrite write) => writes.Add(write);

    /// <summary>Runs <paramref name="action"/> once the call's transaction has committed, in the order given; never if it did not.</summary>
    public void OnCommitted(Action action) => (committed ??= []).Add(action);

    /// <summary>
    /// Commits what was written (say, a failed-attempt counter) and then reports the error to
    /// the caller; used where a refusal must still be remembered.
    /// </summary>
    public void FailAfterCommit(DomainError error, TimeSpan? retryAfter = null) => FailureAfterCommit = new DomainException(error, retryAfter: retryAfter);
}
