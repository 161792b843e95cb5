namespace MonEspaceSante.Documents;

/// <summary>Section <c>Documents</c>.</summary>
public sealed class DocumentOptions
{
    /// <summary>The largest document accepted, in bytes (default 50 MiB).</summary>
    public long MaxSize { get; set; } = 50L * 1024 * 1024;

    public int MaxTitleLength { get; set; } = 200;
}
