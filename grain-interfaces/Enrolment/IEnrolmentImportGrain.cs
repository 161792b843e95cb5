using MonEspaceSante.Identity;

namespace MonEspaceSante.Enrolment;

/// <summary>An operator's import of insured people. Operators only.</summary>
public interface IEnrolmentImportGrain
{
    Task<ImportProgress> GetProgressAsync(Caller caller);

    Task<RejectionPage> GetRejectionsAsync(Caller caller, long afterLine, int limit);
}
