using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MonEspaceSante.Notifications;
using MonEspaceSante.Runtime;
using MonEspaceSante.Storage;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime.Hosting;

namespace MonEspaceSante.Hosting;

public static class SiloHostingExtensions
{
    /// <summary>
    /// Makes this host an Orleans silo co-hosted with ASP.NET Core: the grains and their services
    /// (<see cref="GrainsServiceCollectionExtensions.AddMonEspaceSanteGrains"/>), grain state in
    /// <see cref="GrainStateStorage"/>, and membership in PostgreSQL (ADO.NET clustering, tables
    /// from migration 0011) when <c>Storage:ConnectionString</c> is set, or a single-silo
    /// localhost cluster for the embedded SQLite default.
    /// </summary>
    public static IHostApplicationBuilder AddMonEspaceSanteSilo(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        // Grain services and migrations first: hosted services start in registration order, and
        // the cluster's membership tables must exist before the silo joins.
        builder.Services.AddMonEspaceSanteGrains(configuration);

        var options = configuration.GetSection("Orleans").Get<SiloOptions>() ?? new SiloOptions();
        var connectionString = configuration["Storage:ConnectionString"];
        var siloPort = options.SiloPort == 0 ? FreePort() : options.SiloPort;
        var address = IPAddress.Parse(options.AdvertisedAddress);

        builder.UseOrleans(silo =>
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                silo.UseLocalhostClustering(siloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
            }
            else
            {
                silo.UseAdoNetClustering(o =>
                {
                    o.Invariant = "Npgsql";
                    o.ConnectionString = connectionString;
                });
                silo.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = options.ClusterId;
                    o.ServiceId = options.ServiceId;
                });
                silo.ConfigureEndpoints(address, siloPort, options.GatewayPort, listenOnAnyHostAddress: false);
            }

            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = options.ProbeTimeout;
                o.NumMissedProbesLimit = options.MissedProbesLimit;
            });
            // The live fast path (LiveStreams). Its subscriptions are in memory like the streams
            // themselves: what a dead silo held is lost, and the relay reading the feed covers it.
            // Few queues: each is polled by one agent in the cluster every LiveStreamPollPeriod
            // whether or not anything was published, so the idle cost is queues × polls.
            silo.AddMemoryStreams(LiveStreams.ProviderName, streams =>
            {
                streams.ConfigurePartitioning(options.LiveStreamQueues);
                streams.ConfigurePullingAgent(agent => agent.Configure(o => o.GetQueueMsgsTimerPeriod = options.LiveStreamPollPeriod));
            });
            silo.AddMemoryGrainStorage("PubSubStore");
            silo.Services.AddGrainStorage(GrainStateStorage.ProviderName, (sp, _) => new GrainStateStorage(
                sp.GetRequiredService<IDatabase>(),
                sp.GetRequiredService<GrainJson>().Options,
                sp.GetRequiredKeyedService<TimeProvider>(PlatformClock.Key)));
        });
        return builder;
    }

    /// <summary>
    /// A port nothing listens on now. Orleans needs its silo port before it starts, so a free
    /// one is found by binding port 0 and releasing it; the short window in which another
    /// process could take it is acceptable for tests and local multi-silo runs, which ask for it.
    /// </summary>
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
