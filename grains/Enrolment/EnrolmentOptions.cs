namespace MonEspaceSante.Enrolment;

/// <summary>Bound from the <c>Enrolment</c> section.</summary>
public sealed class EnrolmentOptions
{
    /// <summary>Where uploaded files wait for their import job; shared storage when silos are several.</summary>
    public string UploadPath { get; set; } = Path.Combine("data", "imports");

    /// <summary>
    /// Rows per transaction: one COPY per table, one checkpoint. 20,000 rather than 5,000: the
    /// benchmark imported 1.4 to 2 times faster, the per-batch work (look-up query, jobs,
    /// commit, hand-over between the pipeline's stages) being paid four times less often.
    /// </summary>
    public int BatchSize { get; set; } = 20000;

    /// <summary>Codes per sealed notice job: the size of a whole batch when batches were 5,000 rows.</summary>
    public int NoticesPerJob { get; set; } = 5000;

    public long MaxFileBytes { get; set; } = 8L * 1024 * 1024 * 1024;
}
