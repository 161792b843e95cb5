using MonEspaceSante.Identity;

namespace MonEspaceSante.Professionals;

/// <summary>
/// A health professional, by RPPS. Its state is its row of the directory imported from the
/// national extract: public reference data, readable by any authenticated caller.
/// </summary>
public interface IProfessionalGrain
{
    /// <summary>The professional as the directory knows them; <c>not-found</c> when the RPPS is not in it.</summary>
    Task<ProfessionalInfo> GetAsync(Caller caller);
}
