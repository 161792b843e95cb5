using Microsoft.Extensions.Options;
using MonEspaceSante.Content;
using MonEspaceSante.Professionals;
using MonEspaceSante.Storage;

namespace MonEspaceSante.Messaging;

/// <summary>What every mailbox grain, and the silo's attachment streaming, need; one instance per silo.</summary>
public sealed class MessagingServices(
    IDatabase database,
    IContentStore store,
    DataKeys dataKeys,
    ContentOrphans orphans,
    IOptions<MessagingOptions> options,
    ProfessionalCache professionals)
{
    public DatabaseProvider Provider => database.Provider;
    public IContentStore Store => store;
    public DataKeys DataKeys => dataKeys;
    public ContentOrphans Orphans => orphans;
    public MessagingOptions Options => options.Value;
    public ProfessionalCache Professionals => professionals;
}
