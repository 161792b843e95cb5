namespace MonEspaceSante.Content;

/// <summary>Section <c>Content</c>: which store holds document content, and its settings.</summary>
public sealed class ContentOptions
{
    /// <summary><c>FileSystem</c> (the embedded default), <c>S3</c> or <c>AzureBlob</c>.</summary>
    public string Provider { get; set; } = "FileSystem";

    /// <summary>Folder of the file-system store; defaults to <c>{Storage:DataPath}/content</c>.</summary>
    public string? Path { get; set; }

    public S3ContentOptions S3 { get; set; } = new();

    public AzureBlobContentOptions AzureBlob { get; set; } = new();

    /// <summary>How long an unfinished upload may stay before the sweeper removes what it wrote.</summary>
    public TimeSpan OrphanGrace { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(10);

    public bool SweeperEnabled { get; set; } = true;
}

public sealed class S3ContentOptions
{
    /// <summary>The S3-compatible endpoint (MinIO, Ceph, OVHcloud, Scaleway, Outscale, AWS).</summary>
    public string? ServiceUrl { get; set; }
    public string Bucket { get; set; } = "monespacesante-content";
    public string Region { get; set; } = "us-east-1";
    public string? AccessKey { get; set; }
    public string? SecretKey { get; set; }
    public bool ForcePathStyle { get; set; } = true;

    /// <summary>Objects larger than this are sent as a multipart upload, one buffered part at a time.</summary>
    public int PartSize { get; set; } = 8 * 1024 * 1024;

    public bool CreateBucket { get; set; }
}
