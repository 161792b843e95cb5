namespace MonEspaceSante.Content;

/// <summary>
/// Section <c>Content:AzureBlob</c>. Either <see cref="ConnectionString"/>, or
/// <see cref="ServiceUri"/> with <see cref="AccountName"/> and <see cref="AccountKey"/>.
/// </summary>
public sealed class AzureBlobContentOptions
{
    public string? ConnectionString { get; set; }

    /// <summary>The blob endpoint, e.g. <c>https://ACCOUNT.blob.core.windows.net</c>.</summary>
    public Uri? ServiceUri { get; set; }

    public string? AccountName { get; set; }
    public string? AccountKey { get; set; }
    public string Container { get; set; } = "monespacesante-content";

    /// <summary>Objects larger than this are sent as staged blocks, one buffered block at a time.</summary>
    public int PartSize { get; set; } = 8 * 1024 * 1024;

    public bool CreateContainer { get; set; }
}
