using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;
using MonEspaceSante.Notifications;
using MonEspaceSante.Storage;
using Microsoft.Extensions.Logging;

namespace MonEspaceSante.Runtime;

/// <summary>What every <see cref="TransactionalGrain{TState}"/> needs; one instance per silo.</summary>
public sealed class GrainCalls(IDatabase database, [FromKeyedServices(PlatformClock.Key)] TimeProvider time, FeedSignal feedSignal, GrainJson json, ILogger<GrainCalls> logger)
{
    /// <summary>How often a call that lost a race to another activation's write is run again on fresh state.</summary>
    public const int MaxAttempts = 8;

    public IDatabase Database => database;

    public TimeProvider Time => time;

    public FeedSignal FeedSignal => feedSignal;

    public JsonSerializerOptions Json => json.Options;

    public ILogger Logger => logger;
}
