namespace MonEspaceSante.Content;

/// <summary>
/// Where encrypted document content lives: never in the database. Objects are written once,
/// become visible only when complete, and are read from any byte offset (for Range requests).
/// </summary>
public interface IContentStore
{
    Task<IContentWriter> CreateAsync(string key, CancellationToken cancellationToken);

    /// <summary>Opens the object from <paramref name="offset"/> to its end. Throws <see cref="ContentNotFoundException"/> when absent.</summary>
    Task<Stream> OpenReadAsync(string key, long offset, CancellationToken cancellationToken);

    /// <summary>Removes the object and any unfinished write of it. Idempotent.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string key, CancellationToken cancellationToken);
}

/// <summary>One object being written. Disposing it without <see cref="CompleteAsync"/> abandons the write and leaves nothing.</summary>
public interface IContentWriter : IAsyncDisposable
{
    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    Task CompleteAsync(CancellationToken cancellationToken);
}

public sealed class ContentNotFoundException(string key) : Exception($"Content object {key} does not exist.");
