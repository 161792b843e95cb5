using MonEspaceSante.Errors;
using MonEspaceSante.Identity;

namespace MonEspaceSante.Enrolment;

/// <summary>
/// An operator's import, keyed by its id. Its progress rows are written by the import job on
/// whichever silo claimed it, so the grain reads them per call. Anyone but an operator gets "not found".
/// </summary>
public sealed class EnrolmentImportGrain(EnrolmentImports imports) : Grain, IEnrolmentImportGrain
{
    public async Task<ImportProgress> GetProgressAsync(Caller caller)
    {
        RequireOperator(caller);
        return await imports.GetAsync(this.GetPrimaryKey()) ?? throw new DomainException(DomainError.NotFound);
    }

    public async Task<RejectionPage> GetRejectionsAsync(Caller caller, long afterLine, int limit)
    {
        await GetProgressAsync(caller);
        return await imports.GetRejectionsAsync(this.GetPrimaryKey(), afterLine, limit);
    }

    private static void RequireOperator(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.Kind != CallerKind.Operator)
        {
            throw new DomainException(DomainError.NotFound);
        }
    }
}
