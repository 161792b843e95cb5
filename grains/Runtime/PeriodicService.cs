using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MonEspaceSante.Runtime;

/// <summary>
/// A silo's background loop: one pass, then a pause, until the silo stops. A failed pass is
/// logged and the loop goes on (the next pass retries); nothing a pass does is lost by a
/// failure because each pass commits its own work. Tests call the pass directly.
/// </summary>
public abstract partial class PeriodicService(ILogger logger) : BackgroundService
{
    /// <summary>Whether the loop runs at all on this silo.</summary>
    protected abstract bool Enabled { get; }

    protected abstract TimeSpan Interval { get; }

    /// <summary>
    /// The clock the pause is measured on. Rules of the domain use the injected clock (so tests
    /// can move it); pure polling cadences use real time.
    /// </summary>
    protected virtual TimeProvider PauseClock => TimeProvider.System;

    protected abstract Task RunPassAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunPassAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogPassFailed(logger, GetType().Name, exception);
            }

            try
            {
                await Task.Delay(Interval, PauseClock, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Service} pass failed; retrying after the interval")]
    private static partial void LogPassFailed(ILogger logger, string service, Exception exception);
}
