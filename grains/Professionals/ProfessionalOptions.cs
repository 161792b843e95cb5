namespace MonEspaceSante.Professionals;

/// <summary>Bound from the <c>Professionals</c> section.</summary>
public sealed class ProfessionalOptions
{
    /// <summary>
    /// Professionals per transaction. Small enough that a batch's rows and the locks its upsert
    /// takes stay modest, large enough that the per-batch cost (a staging table, a commit) is
    /// paid rarely over the extract's million rows.
    /// </summary>
    public int BatchSize { get; set; } = 5000;

    /// <summary>
    /// How long a silo keeps a directory entry it read (<see cref="ProfessionalCache"/>); zero reads
    /// the directory on every call. The import forgets the rows it rewrites on its own silo at once.
    /// </summary>
    public TimeSpan LookupCacheTtl { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>At most this many directory entries kept per silo.</summary>
    public int LookupCacheEntries { get; set; } = 100_000;
}
