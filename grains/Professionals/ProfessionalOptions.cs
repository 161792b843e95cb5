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
}
