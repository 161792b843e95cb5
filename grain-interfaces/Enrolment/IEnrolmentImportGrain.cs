using MonEspaceSante.Identity;

namespace MonEspaceSante.Enrolment;

/// <summary>An operator's import of insured people. Operators only.</summary>
[Alias("mes.IEnrolmentImportGrain")]
public interface IEnrolmentImportGrain : IGrainWithGuidKey
{
    [Alias("GetProgress")]
    Task<ImportProgress> GetProgressAsync(Caller caller);

    [Alias("GetRejections")]
    Task<RejectionPage> GetRejectionsAsync(Caller caller, long afterLine, int limit);
}
