namespace MonEspaceSante.Notifications;

/// <summary>E-mail alerts and the feed's retention (section <c>Notifications</c>).</summary>
public sealed class AlertOptions
{
    public bool AlertsEnabled { get; set; } = true;

    /// <summary>How often the dispatcher looks for new notifications to e-mail about.</summary>
    public TimeSpan AlertInterval { get; set; } = TimeSpan.FromSeconds(10);

    public int AlertBatchSize { get; set; } = 1000;

    /// <summary>How long notifications stay in the feed (the access history is kept apart, for the life of the space).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(365);

    /// <summary>How long finished jobs (delivered e-mails, done imports) are kept for inspection.</summary>
    public TimeSpan JobRetention { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);

    public int PruneBatchSize { get; set; } = 10_000;

    public bool PruneEnabled { get; set; } = true;
}
