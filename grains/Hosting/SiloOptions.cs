namespace MonEspaceSante.Hosting;

/// <summary>Section <c>Orleans</c>: this silo's place in the cluster.</summary>
public sealed class SiloOptions
{
    /// <summary>Silos with the same cluster id on the same database form one cluster.</summary>
    public string ClusterId { get; set; } = "monespacesante";

    /// <summary>Stays the same across deployments of this service (Orleans keys some persisted data by it).</summary>
    public string ServiceId { get; set; } = "monespacesante";

    /// <summary>Silo-to-silo port; 0 picks a free one at start (tests, several silos on one machine).</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port for external Orleans clients; 0 (the default) opens none: the API is co-hosted in every silo.</summary>
    public int GatewayPort { get; set; }

    /// <summary>The address other silos reach this one at; loopback by default, so nothing listens beyond the machine unless a deployment says so.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// How long a silo waits for a probe answer, and how many it may miss before its peers vote
    /// it dead. 2 s and 3 misses declared a silo killed with SIGKILL dead in a few seconds here,
    /// against about a minute with Orleans' defaults (10 s probes), during which every call to a
    /// grain it held waited.
    /// </summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    public int MissedProbesLimit { get; set; } = 3;

    /// <summary>
    /// How often each silo's agents take what grains published on the live streams from their
    /// memory queues (Orleans' default, 100 ms, is slower than the relay's own poll).
    /// </summary>
    public TimeSpan LiveStreamPollPeriod { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>The live streams' memory queues in the whole cluster (Orleans' default is 8); each carries its share of the recipients' streams.</summary>
    public int LiveStreamQueues { get; set; } = 2;
}
