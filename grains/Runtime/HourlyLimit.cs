namespace MonEspaceSante.Runtime;

/// <summary>The limits counted per clock hour (messages sent, patient spaces opened) lift when the hour turns.</summary>
public static class HourlyLimit
{
    public static TimeSpan UntilNextHour(DateTimeOffset now) => TimeSpan.FromSeconds(3600 - (now.ToUnixTimeSeconds() % 3600));
}
