using Microsoft.Extensions.Hosting;
using Orleans.Runtime;

namespace MonEspaceSante.Tests.Infrastructure;

/// <summary>
/// Orleans ends the process when its silo learns the cluster declared it dead, which is right
/// for a silo process (its supervisor restarts it) but would end every test running in this
/// process with it. Here only the host whose silo died stops, and the test that owns it fails.
/// </summary>
internal sealed class StopHostOnFatalError(IHostApplicationLifetime lifetime) : IFatalErrorHandler
{
    public bool IsUnexpected(Exception exception) => exception is not OperationCanceledException;

    public void OnFatalException(object? sender = null, string? context = null, Exception? exception = null) => lifetime.StopApplication();
}
