using System.Security.Cryptography;
using System.Text;

namespace MonEspaceSante.Content;

/// <summary>
/// The embedded default: one file per object under a root folder. A write goes to a
/// <c>.part</c> file renamed into place on completion, so a reader never sees half an object.
/// </summary>
/// <remarks>
/// Files are spread over 256 bucket folders by a hash of their key, each created once, with the
/// key's own folders flattened into the file name. Keys used to map to folders of their own (one
/// per space, one per message): a message's attachment then cost a new folder, and on ext4
/// creating a folder, and then files in folders spread over many block groups, took more CPU
/// than writing the 100 KiB file itself (messaging benchmark: 2.7 ms of process CPU per send with
/// a folder per message, 2.5 with 4,096 buckets, 2.2 with one folder). 256 keeps most of that
/// gain while no folder grows past a few million files before an object store is due. Objects
/// written under the earlier layout are still found there: every read, check and delete falls
/// back to it.
/// </remarks>
public sealed class FileSystemContentStore(string root) : IContentStore
{
    private const string PartSuffix = ".part";
    private const int Buckets = 256;

    /// <summary>Which bucket folders this process has made sure of; a race only repeats an idempotent create.</summary>
    private readonly bool[] created = new bool[Buckets];

    public Task<IContentWriter> CreateAsync(string key, CancellationToken cancellationToken)
    {
        var (path, bucket) = PathOf(key);
        if (!created[bucket])
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            created[bucket] = true;
        }

        FileStream stream;
        try
        {
            stream = OpenPart(path);
        }
        catch (DirectoryNotFoundException)
        {
            // The bucket was removed from under a running process (an operator's clean-up).
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            stream = OpenPart(path);
        }

        return Task.FromResult<IContentWriter>(new Writer(stream, path));
    }

    private static FileStream OpenPart(string path) => new(path + PartSuffix, new FileStreamOptions
    {
        Mode = FileMode.Create,
        Access = FileAccess.Write,
        BufferSize = 0,
    });

    public Task<Stream> OpenReadAsync(string key, long offset, CancellationToken cancellationToken)
    {
        var path = ExistingPathOf(key) ?? throw new ContentNotFoundException(key);
        var stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.Read | FileShare.Delete, Options = FileOptions.Asynchronous });
        stream.Seek(offset, SeekOrigin.Begin);
        return Task.FromResult<Stream>(stream);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        foreach (var path in new[] { PathOf(key).Path, LegacyPathOf(key) })
        {
            // File.Delete ignores a missing file but not a missing folder (nothing was ever written there).
            if (Directory.Exists(Path.GetDirectoryName(path)))
            {
                File.Delete(path);
                File.Delete(path + PartSuffix);
            }
        }

        return Task.CompletedTask;
    }

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken) => Task.FromResult(ExistingPathOf(key) is not null);

    private string? ExistingPathOf(string key)
    {
        var path = PathOf(key).Path;
        if (File.Exists(path))
        {
            return path;
        }

        var legacy = LegacyPathOf(key);
        return File.Exists(legacy) ? legacy : null;
    }

    /// <summary><c>root/{bucket}/{key with '/' as '~'}</c>, the bucket being the first byte of the key's SHA-256.</summary>
    private (string Path, int Bucket) PathOf(string key)
    {
        Validate(key);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        var bucket = hash[0];
        return (Path.Combine(root, bucket.ToString("x2", System.Globalization.CultureInfo.InvariantCulture), key.Replace('/', '~')), bucket);
    }

    /// <summary>Where the first layout kept an object: <c>root/{first two characters of the key}/{key}</c>.</summary>
    private string LegacyPathOf(string key)
    {
        Validate(key);
        return Path.Combine(root, key[..2], key);
    }

    /// <summary>Keys are our own (space id / random id); anything else is refused rather than trusted as a path.</summary>
    private static void Validate(string key)
    {
        if (string.IsNullOrEmpty(key) || key.Length < 2 || key.Contains("..", StringComparison.Ordinal) || key.StartsWith('/')
            || key.Contains('\\', StringComparison.Ordinal) || key.Contains('~', StringComparison.Ordinal))
        {
            throw new ArgumentException("Invalid content key.", nameof(key));
        }
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
