namespace MonEspaceSante.Api.Realtime;

/// <summary>Live notifications (section <c>Realtime</c>).</summary>
public sealed class RealtimeOptions
{
    /// <summary>How often the relay looks for new notifications while someone is connected to this silo.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The shortest time between two passes of the relay when commits on this silo wake it.</summary>
    public TimeSpan MinPollGap { get; set; } = TimeSpan.FromMilliseconds(15);

    public int BatchSize { get; set; } = 1000;

    /// <summary>Notifications waiting for one slow connection before it is told to resume from the feed instead.</summary>
    public int ConnectionBuffer { get; set; } = 1000;

    /// <summary>How long a connection ticket opens the hub or a stream for.</summary>
    public TimeSpan TicketLifetime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Comment lines that keep an idle event stream open through proxies.</summary>
    public TimeSpan StreamHeartbeat { get; set; } = TimeSpan.FromSeconds(15);

    public bool RelayEnabled { get; set; } = true;

    /// <summary>Whether this silo subscribes to the live streams of the recipients connected to it (the fast path; the relay is the fallback).</summary>
    public bool StreamsEnabled { get; set; } = true;

    /// <summary>
    /// How long a recipient's live lease lasts (platform time): grains publish on their stream
    /// only while it runs. Renewed every third of it while the recipient stays connected here.
    /// </summary>
    public TimeSpan LiveLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>What is wrong with these settings, or null: a zero period would stop a timer at start, a zero size would deliver nothing.</summary>
    public string? Problem() =>
        PollInterval <= TimeSpan.Zero || MinPollGap < TimeSpan.Zero ? "Realtime:PollInterval must be positive and Realtime:MinPollGap not negative."
        : BatchSize < 1 || ConnectionBuffer < 1 ? "Realtime:BatchSize and Realtime:ConnectionBuffer must be at least 1."
        : TicketLifetime <= TimeSpan.Zero || StreamHeartbeat <= TimeSpan.Zero ? "Realtime:TicketLifetime and Realtime:StreamHeartbeat must be positive."
        : LiveLease < TimeSpan.FromSeconds(3) ? "Realtime:LiveLease must be at least 3 seconds (it is renewed every third of it)."
        : null;
}
