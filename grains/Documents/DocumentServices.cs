using Microsoft.Extensions.Options;
using MonEspaceSante.Access;
using MonEspaceSante.Content;
using MonEspaceSante.Runtime;

namespace MonEspaceSante.Documents;

/// <summary>What every documents grain needs; one instance per silo.</summary>
public sealed class DocumentServices(
    GrainRuntime runtime,
    DataKeys dataKeys,
    IContentStore store,
    ContentOrphans orphans,
    IOptions<DocumentOptions> options,
    AccessGate gate)
{
    public GrainRuntime Runtime => runtime;
    public DataKeys DataKeys => dataKeys;
    public IContentStore Store => store;
    public ContentOrphans Orphans => orphans;
    public DocumentOptions Options => options.Value;
    public AccessGate Gate => gate;
}
