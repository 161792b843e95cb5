namespace MonEspaceSante.Notifications;

/// <summary>One entry of a recipient's feed. The payload never carries more than the recipient may see.</summary>
public sealed record NotificationRecord(string RecipientId, Guid Id, string Kind, string PayloadJson, DateTimeOffset At);

public sealed record FeedEntry(Guid Id, long Sequence, string Kind, string PayloadJson, DateTimeOffset At);
