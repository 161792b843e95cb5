using Orleans.Runtime;

namespace MonEspaceSante.Notifications;

/// <summary>
/// The live fast path: one Orleans memory stream per feed recipient, on which a grain publishes
/// each notification once its transaction has committed, to whichever silo holds that
/// recipient's live connections. Memory streams lose what is in flight when a silo dies, so the
/// feed stays the truth: each silo's relay still reads it (and skips what a stream delivered),
/// and clients resume from it by sequence. docs/realtime.md.
/// </summary>
public static class LiveStreams
{
    public const string ProviderName = "live";
    public const string Namespace = "feed";

    public static StreamId Of(string recipientId) => StreamId.Create(Namespace, recipientId);
}

/// <summary>A committed feed entry, as a grain publishes it on its recipient's stream.</summary>
[GenerateSerializer]
[Alias("mes.LiveNotification")]
public sealed record LiveNotification(
    [property: Id(0)] string RecipientId,
    [property: Id(1)] Guid Id,
    [property: Id(2)] long Sequence,
    [property: Id(3)] string Kind,
    [property: Id(4)] string PayloadJson,
    [property: Id(5)] DateTimeOffset At)
{
    public FeedEntry ToEntry() => new(Id, Sequence, Kind, PayloadJson, At);
}
