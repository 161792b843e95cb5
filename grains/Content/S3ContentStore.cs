using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace MonEspaceSante.Content;

/// <summary>
/// S3-compatible object storage. Small objects are one PUT; larger ones a multipart upload
/// holding one part in memory at a time, so a 50 MiB document never sits whole in the silo.
/// Checksums "when required" and no aws-chunked encoding: several S3-compatible servers store
/// the chunk framing as content otherwise.
/// </summary>
public sealed class S3ContentStore : IContentStore, IDisposable
{
    private readonly AmazonS3Client client;
    private readonly S3ContentOptions options;

    public S3ContentStore(S3ContentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            AuthenticationRegion = options.Region,
        };
        if (options.ServiceUrl is { Length: > 0 } url)
        {
            config.ServiceURL = url;
        }

        client = options.AccessKey is { Length: > 0 }
            ? new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config)
            : new AmazonS3Client(config);
    }

    public async Task EnsureBucketAsync(CancellationToken cancellationToken)
    {
        try
        {
            await client.PutBucketAsync(new PutBucketRequest { BucketName = options.Bucket }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception exception) when (exception.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
        }
    }

    public Task<IContentWriter> CreateAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult<IContentWriter>(new Writer(this, key));

    public async Task<Stream> OpenReadAsync(string key, long offset, CancellationToken cancellationToken)
    {
        try
        {
            var request = new GetObjectRequest { BucketName = options.Bucket, Key = key };
            if (offset > 0)
            {
                request.ByteRange = new ByteRange($"bytes={offset}-");
            }

            var response = await client.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);
            return response.ResponseStream;
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            throw new ContentNotFoundException(key);
        }
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken) =>
        client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = options.Bucket, Key = key }, cancellationToken);

    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = options.Bucket, Key = key }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public void Dispose() => client.Dispose();

    private sealed class Writer(S3ContentStore store, string key) : IContentWriter
    {
        private readonly MemoryStream part = new();
        private readonly List<PartETag> parts = [];
        private string? uploadId;
        private bool completed;

        private string Bucket => store.options.Bucket;

        public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            part.Write(data.Span);
            if (part.Length >= store.options.PartSize)
            {
                await FlushPartAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        public async Task CompleteAsync(CancellationToken cancellationToken)
        {
            if (uploadId is null)
            {
                part.Position = 0;
                await store.client.PutObjectAsync(new PutObjectRequest
                {
                    BucketName = Bucket,
                    Key = key,
                    InputStream = part,
                    AutoCloseStream = false,
                    UseChunkEncoding = false,
                }, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                if (part.Length > 0)
                {
                    await FlushPartAsync(cancellationToken).ConfigureAwait(false);
                }

                await store.client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
                {
                    BucketName = Bucket,
                    Key = key,
                    UploadId = uploadId,
                    PartETags = parts,
                }, cancellationToken).ConfigureAwait(false);
            }

            completed = true;
        }

        public async ValueTask DisposeAsync()
        {
            await part.DisposeAsync().ConfigureAwait(false);
            if (!completed && uploadId is not null)
            {
                // Best effort: an upload left behind is also removed by the orphan sweeper.
                try
                {
                    await store.client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = Bucket, Key = key, UploadId = uploadId }).ConfigureAwait(false);
                }
                catch (AmazonServiceException)
                {
                }
            }
        }

        private async Task FlushPartAsync(CancellationToken cancellationToken)
        {
            uploadId ??= (await store.client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = Bucket, Key = key }, cancellationToken).ConfigureAwait(false)).UploadId;
            var number = parts.Count + 1;
            // A view of the buffer: the SDK may dispose the stream it is given.
            using var view = new MemoryStream(part.GetBuffer(), 0, (int)part.Length, writable: false);
            var response = await store.client.UploadPartAsync(new UploadPartRequest
            {
                BucketName = Bucket,
                Key = key,
                UploadId = uploadId,
                PartNumber = number,
                InputStream = view,
                PartSize = view.Length,
                UseChunkEncoding = false,
            }, cancellationToken).ConfigureAwait(false);
            parts.Add(new PartETag(number, response.ETag));
            part.SetLength(0);
        }
    }
}
