using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MonEspaceSante.Access;
using MonEspaceSante.Content;
using MonEspaceSante.Storage;

namespace MonEspaceSante.Documents;

/// <summary>What the documents side of every patient space, and the silo's document streaming, need; one instance per silo.</summary>
public sealed class DocumentServices(
    IDatabase database,
    [FromKeyedServices(PlatformClock.Key)] TimeProvider time,
    DataKeys dataKeys,
    IContentStore store,
    ContentOrphans orphans,
    IOptions<DocumentOptions> options,
    AccessGate gate)
{
    public DatabaseProvider Provider => database.Provider;
    public TimeProvider Time => time;
    public DataKeys DataKeys => dataKeys;
    public IContentStore Store => store;
    public ContentOrphans Orphans => orphans;
    public DocumentOptions Options => options.Value;
    public AccessGate Gate => gate;
}
