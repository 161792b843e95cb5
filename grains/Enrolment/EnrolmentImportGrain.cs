using MonEspaceSante.Errors;
using MonEspaceSante.Identity;

namespace MonEspaceSante.Enrolment;

/// <summary>An import as operators see it. Anyone else gets "not found".</summary>
public sealed class EnrolmentImportGrain(Guid importId, EnrolmentImports imports) : IEnrolmentImportGrain
{
    public async Task<ImportProgress> GetProgressAsync(Caller caller)
    {
        RequireOperator(caller);
        return await imports.GetAsync(importId).ConfigureAwait(false) ?? throw new DomainException(DomainError.NotFound);
    }

    public async Task<RejectionPage> GetRejectionsAsync(Caller caller, long afterLine, int limit)
    {
        await GetProgressAsync(caller).ConfigureAwait(false);
        return await imports.GetRejectionsAsync(importId, afterLine, limit).ConfigureAwait(false);
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
