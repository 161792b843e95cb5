using MonEspaceSante.Identity;

namespace MonEspaceSante.Professionals;

/// <summary>
/// A health professional, keyed by RPPS (11 digits). Its state is its row of the directory imported from the
/// national extract: public reference data, readable by any authenticated caller.
/// </summary>
[Alias("mes.IProfessionalGrain")]
public interface IProfessionalGrain : IGrainWithStringKey
{
    /// <summary>The professional as the directory knows them; <c>not-found</c> when the RPPS is not in it.</summary>
    [Alias("Get")]
    Task<ProfessionalInfo> GetAsync(Caller caller);
}
