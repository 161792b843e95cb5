using System.Data.Common;
using System.Net.Sockets;
using Orleans.Runtime;

namespace MonEspaceSante.Api.Problems;

/// <summary>
/// Recognises the database being out of reach (refused or dropped connections, timeouts, a server
/// shutting down or full), or the silo holding the grain dying under the call, however deep a
/// grain call or the authentication wrapped it: those are worth a retry, so the client gets 503
/// with Retry-After instead of a 500.
/// </summary>
public static class StorageFailures
{
    /// <summary>How long a client should wait before retrying while the database is unreachable.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    public static bool IsUnavailable(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case DbException { IsTransient: true }:
                case SocketException:
                // A silo that died under the call (kill -9, a crash) until the cluster declares it
                // dead and the grain comes back on another: a retry a moment later succeeds.
                case SiloUnavailableException:
                case OrleansMessageRejectionException:
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Any(IsUnavailable):
                    return true;
                case Orleans.Serialization.UnavailableExceptionFallbackException fallback when IsDatabaseType(fallback.ExceptionType):
                    // An exception from another silo whose type this one cannot rebuild arrives by name.
                    return true;
            }
        }

        return false;
    }

    private static bool IsDatabaseType(string? typeName) =>
        typeName is not null && (typeName.Contains("Npgsql.NpgsqlException", StringComparison.Ordinal) || typeName.Contains("System.Net.Sockets.SocketException", StringComparison.Ordinal));
}
