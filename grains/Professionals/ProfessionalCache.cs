using System.Data.Common;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace MonEspaceSante.Professionals;

/// <summary>
/// The professionals directory as the silo's grains read it on every professional call: entries
/// found are kept for <see cref="ProfessionalOptions.LookupCacheTtl"/>, so a busy professional's
/// reads cost no directory query. The directory is reference data changed by the national
/// extract's import, which forgets what it rewrites on its own silo; another silo sees a change
/// within the time to live. Unknown RPPS numbers are not kept, so a professional added to the
/// directory is known at once.
/// </summary>
public sealed class ProfessionalCache : IDisposable
{
    private readonly MemoryCache cache;
    private readonly TimeSpan ttl;

    public ProfessionalCache(IOptions<ProfessionalOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ttl = options.Value.LookupCacheTtl;
        // Bounded: an entry is a few hundred bytes, the whole national directory would not be.
        cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, options.Value.LookupCacheEntries) });
    }

    public async Task<ProfessionalInfo?> FindAsync(DbConnection connection, DbTransaction? transaction, string rpps)
    {
        if (ttl > TimeSpan.Zero && cache.TryGetValue(rpps, out ProfessionalInfo? known))
        {
            return known;
        }

        var found = await ProfessionalLookup.FindAsync(connection, transaction, rpps).ConfigureAwait(false);
        if (found is not null && ttl > TimeSpan.Zero)
        {
            cache.Set(rpps, found, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = ttl, Size = 1 });
        }

        return found;
    }

    /// <summary>Drops the entries of professionals whose directory rows were just rewritten.</summary>
    public void Forget(IEnumerable<string> rppsNumbers)
    {
        ArgumentNullException.ThrowIfNull(rppsNumbers);
        foreach (var rpps in rppsNumbers)
        {
            cache.Remove(rpps);
        }
    }

    public void Dispose() => cache.Dispose();
}
