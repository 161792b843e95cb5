using MonEspaceSante.Errors;
using MonEspaceSante.Identity;
using MonEspaceSante.Storage;

namespace MonEspaceSante.Professionals;

/// <summary>
/// A professional, keyed by RPPS. Its state is its row of the directory, which the national
/// extract's import rewrites in bulk; the grain reads it per call (one indexed read) rather than
/// keeping a copy an import would leave stale. The directory is public reference data, so anyone
/// authenticated may read it; an anonymous caller learns nothing, not even whether the RPPS is known.
/// </summary>
public sealed class ProfessionalGrain(IDatabase database) : Grain, IProfessionalGrain
{
    public async Task<ProfessionalInfo> GetAsync(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.Kind == CallerKind.Anonymous)
        {
            throw new DomainException(DomainError.NotFound);
        }

        var rpps = this.GetPrimaryKeyString();
        await using var connection = await database.OpenAsync();
        return await ProfessionalLookup.FindAsync(connection, null, rpps)
            ?? throw new DomainException(DomainError.NotFound, $"No professional with RPPS {rpps} in the directory.");
    }
}
