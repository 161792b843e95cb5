namespace MonEspaceSante.Runtime;

/// <summary>
/// Runs a body as one transactional call of a grain's activation. A grain that owns several
/// responsibilities (a patient space: its lifecycle, its access, its documents) hands this to
/// the class holding each one, so every part runs on the one state, one call at a time.
/// </summary>
public interface IGrainCaller<TState>
    where TState : class
{
    Task<T> CallAsync<T>(Func<GrainContext<TState>, Task<T>> body, CancellationToken cancellationToken = default);

    /// <summary>
    /// The state as committed, for a read that needs no transaction: it opens no connection, so
    /// a grain may answer another grain that is inside its own transaction (on SQLite, with one
    /// writer at a time, a second write transaction there would wait for the first forever).
    /// </summary>
    TState? Stored { get; }
}
