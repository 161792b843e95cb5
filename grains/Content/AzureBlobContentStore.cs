using System.Buffers.Binary;
using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace MonEspaceSante.Content;

/// <summary>
/// Azure Blob Storage, as block blobs. Small objects are one Put Blob; larger ones are staged
/// as blocks holding one block in memory at a time, then committed as a block list, so a
/// 50 MiB document never sits whole in the silo and no reader sees the blob until the commit.
/// </summary>
public sealed class AzureBlobContentStore : IContentStore
{
    private readonly BlobContainerClient container;
    private readonly int partSize;

    public AzureBlobContentStore(AzureBlobContentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        partSize = options.PartSize;
        BlobServiceClient service;
        if (options.ConnectionString is { Length: > 0 } connectionString)
        {
            service = new BlobServiceClient(connectionString);
        }
        else if (options.ServiceUri is not null && options.AccountName is { Length: > 0 } account && options.AccountKey is { Length: > 0 } key)
        {
            service = new BlobServiceClient(options.ServiceUri, new StorageSharedKeyCredential(account, key));
        }
        else
        {
            // Refused at startup rather than at the first upload.
            throw new InvalidOperationException("Content:AzureBlob needs ConnectionString, or ServiceUri with AccountName and AccountKey.");
        }

        container = service.GetBlobContainerClient(options.Container);
    }

    public Task EnsureContainerAsync(CancellationToken cancellationToken) =>
        container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);

    public Task<IContentWriter> CreateAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult<IContentWriter>(new Writer(container.GetBlockBlobClient(key), partSize));

    public async Task<Stream> OpenReadAsync(string key, long offset, CancellationToken cancellationToken)
    {
        try
        {
            var options = new BlobDownloadOptions();
            if (offset > 0)
            {
                options.Range = new HttpRange(offset);
            }

            var response = await container.GetBlobClient(key).DownloadStreamingAsync(options, cancellationToken).ConfigureAwait(false);
            return response.Value.Content;
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            throw new ContentNotFoundException(key);
        }
    }

    /// <summary>
    /// Staged blocks of an unfinished write are not a blob and cannot be deleted on their own;
    /// the service discards uncommitted blocks after seven days.
    /// </summary>
    public Task DeleteAsync(string key, CancellationToken cancellationToken) =>
        container.GetBlobClient(key).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);

    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken) =>
        (await container.GetBlobClient(key).ExistsAsync(cancellationToken).ConfigureAwait(false)).Value;

    private sealed class Writer(BlockBlobClient blob, int partSize) : IContentWriter
    {
        private readonly MemoryStream part = new();
        private readonly List<string> blocks = [];

        public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            part.Write(data.Span);
            if (part.Length >= partSize)
            {
                await StageAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        public async Task CompleteAsync(CancellationToken cancellationToken)
        {
            if (blocks.Count == 0)
            {
                part.Position = 0;
                await blob.UploadAsync(part, cancellationToken: cancellationToken).ConfigureAwait(false);
                return;
            }

            if (part.Length > 0)
            {
                await StageAsync(cancellationToken).ConfigureAwait(false);
            }

            await blob.CommitBlockListAsync(blocks, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// Nothing to abort: blocks staged by an abandoned write stay uncommitted, so the blob
        /// does not exist for readers, and the service drops them after seven days.
        /// </summary>
        public ValueTask DisposeAsync() => part.DisposeAsync();

        private async Task StageAsync(CancellationToken cancellationToken)
        {
            // Block ids must all have the same length within a blob: a fixed-width counter.
            var id = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(id, blocks.Count);
            var blockId = Convert.ToBase64String(id);
            // A view of the buffer: the SDK may dispose the stream it is given.
            using var view = new MemoryStream(part.GetBuffer(), 0, (int)part.Length, writable: false);
            await blob.StageBlockAsync(blockId, view, cancellationToken: cancellationToken).ConfigureAwait(false);
            blocks.Add(blockId);
            part.SetLength(0);
        }
    }
}
