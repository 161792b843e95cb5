using MonEspaceSante.Errors;
using MonEspaceSante.Identity;
using MonEspaceSante.Storage;

namespace MonEspaceSante.Professionals;

/// <summary>
/// A professional: its state is its directory row, read per call (one indexed read). The
/// directory is public reference data, so anyone authenticated may read it; an anonymous
/// caller learns nothing, not even whether the RPPS is known.
/// </summary>
public sealed class ProfessionalGrain(Rpps rpps, IDatabase database) : IProfessionalGrain
{
    public async Task<ProfessionalInfo> GetAsync(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.Kind == CallerKind.Anonymous)
        {
            throw new DomainException(DomainError.NotFound);
        }

        await using var connection = await database.OpenAsync().ConfigureAwait(false);
        return await ProfessionalLookup.FindAsync(connection, null, rpps.Value).ConfigureAwait(false)
            ?? throw new DomainException(DomainError.NotFound, $"No professional with RPPS {rpps.Value} in the directory.");
    }
}
