namespace MonEspaceSante.Content;

/// <summary>
/// The embedded default: one file per object under a root folder. A write goes to a
/// <c>.part</c> file renamed into place on completion, so a reader never sees half an object.
/// </summary>
public sealed class FileSystemContentStore(string root) : IContentStore
{
    private const string PartSuffix = ".part";

    public Task<IContentWriter> CreateAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var stream = new FileStream(path + PartSuffix, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            BufferSize = 0,
        });
        return Task.FromResult<IContentWriter>(new Writer(stream, path));
    }

    public Task<Stream> OpenReadAsync(string key, long offset, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        if (!File.Exists(path))
        {
            throw new ContentNotFoundException(key);
        }

        var stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.Read | FileShare.Delete, Options = FileOptions.Asynchronous });
        stream.Seek(offset, SeekOrigin.Begin);
        return Task.FromResult<Stream>(stream);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        // File.Delete ignores a missing file but not a missing folder (nothing was ever written there).
        if (Directory.Exists(Path.GetDirectoryName(path)))
        {
            File.Delete(path);
            File.Delete(path + PartSuffix);
        }

        return Task.CompletedTask;
    }

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken) => Task.FromResult(File.Exists(PathOf(key)));

    /// <summary>Keys are our own (space id / random id); anything else is refused rather than trusted as a path.</summary>
    private string PathOf(string key)
    {
        if (string.IsNullOrEmpty(key) || key.Contains("..", StringComparison.Ordinal) || key.StartsWith('/') || key.Contains('\\', StringComparison.Ordinal))
        {
            throw new ArgumentException("Invalid content key.", nameof(key));
        }

        return Path.Combine(root, key[..2], key);
    }

    private sealed class Writer(FileStream stream, string path) : IContentWriter
    {
        private bool completed;

        /// <summary>
        /// Written synchronously on purpose: on Linux, .NET runs "asynchronous" file writes as
        /// blocking writes on a pool thread anyway, so each 64 KiB chunk cost a thread hop and a
        /// context switch; a write into the page cache is shorter than that hop.
        /// </summary>
        public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            stream.Write(data.Span);
            return ValueTask.CompletedTask;
        }

        public async Task CompleteAsync(CancellationToken cancellationToken)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            File.Move(path + PartSuffix, path, overwrite: false);
            completed = true;
        }

        public async ValueTask DisposeAsync()
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            if (!completed)
            {
                File.Delete(path + PartSuffix);
            }
        }
    }
}
