using Microsoft.Extensions.Options;
using MonEspaceSante.Content;
using MonEspaceSante.Documents;
using MonEspaceSante.Runtime;
using MonEspaceSante.Spaces;

namespace MonEspaceSante.Messaging;

/// <summary>What every mailbox grain reference needs; one instance per silo.</summary>
public sealed class MessagingServices(
    GrainRuntime runtime,
    IContentStore store,
    DataKeys dataKeys,
    ContentOrphans orphans,
    IOptions<MessagingOptions> options,
    Lazy<IGrainReferences> grains,
    Lazy<DocumentVault> vault)
{
    public GrainRuntime Runtime => runtime;
    public IContentStore Store => store;
    public DataKeys DataKeys => dataKeys;
    public ContentOrphans Orphans => orphans;
    public MessagingOptions Options => options.Value;

    /// <summary>Lazy: the factory hands out mailbox grains built from these services.</summary>
    public IGrainReferences Grains => grains.Value;

    /// <summary>Where a patient keeps an attachment as a document (lazy like <see cref="Grains"/>).</summary>
    public DocumentVault Vault => vault.Value;
}
