using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MonEspaceSante.Content;

/// <summary>Runs <see cref="ContentOrphans.SweepAsync"/> periodically on every silo (deletes are idempotent).</summary>
public sealed class ContentSweeper(ContentOrphans orphans, IOptions<ContentOptions> options, [FromKeyedServices(PlatformClock.Key)] TimeProvider time, ILogger<ContentSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.SweeperEnabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                var swept = await orphans.SweepAsync(stoppingToken).ConfigureAwait(false);
                if (swept > 0)
                {
                    logger.LogInformation("Removed {Count} orphaned content objects", swept);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogError(exception, "Content sweep failed");
            }
        }
    }
}
