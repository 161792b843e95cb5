namespace MonEspaceSante;

/// <summary>
/// The clock of the platform's own rules (code expiry, automatic activation after 6 weeks,
/// purge after 10 years, sessions), registered as a keyed <see cref="TimeProvider"/>. Orleans
/// takes the unkeyed TimeProvider for its membership, probes, timers and idle collection; a
/// test that moves the platform's clock by six weeks must not make the cluster believe that
/// its silos stopped answering six weeks ago, so the two clocks are separate services.
/// </summary>
public static class PlatformClock
{
    public const string Key = "platform";
}
