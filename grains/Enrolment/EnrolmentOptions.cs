namespace MonEspaceSante.Enrolment;

/// <summary>Bound from the <c>Enrolment</c> section.</summary>
public sealed class EnrolmentOptions
{
    /// <summary>Where uploaded files wait for their import job; shared storage when silos are several.</summary>
    public string UploadPath { get; set; } = Path.Combine("data", "imports");

    /// <summary>Rows per transaction: one COPY per table, one checkpoint.</summary>
    public int BatchSize { get; set; } = 5000;

    public long MaxFileBytes { get; set; } = 8L * 1024 * 1024 * 1024;
}
