using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MonEspaceSante.Identity;

namespace MonEspaceSante.Access;

/// <summary>
/// Refuses a professional, or a software client, that opens more distinct spaces in one clock
/// hour than the limit, and raises one operator alert per actor and hour. Counted in the
/// database, so the limit holds across silos; only a space new to the actor this hour costs a
/// count, so re-reading a patient stays cheap. Hours are fixed windows (docs/access.md).
/// </summary>
public sealed partial class MassAccessGuard(IOptions<AccessOptions> options, ILogger<MassAccessGuard> logger)
{
    public const string AlertKind = "mass-access";

    public async Task<bool> AdmitAsync(DbConnection connection, DbTransaction transaction, Caller caller, string spaceId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var hour = now.ToUnixTimeSeconds() / 3600;
        var admitted = await AdmitAsync(connection, transaction, $"professional:{caller.Id}", options.Value.MaxSpacesPerHour, spaceId, hour, now).ConfigureAwait(false);
        if (admitted && caller.Via is { } client)
        {
            admitted = await AdmitAsync(connection, transaction, $"client:{client}", options.Value.MaxSpacesPerHourPerClient, spaceId, hour, now).ConfigureAwait(false);
        }

        return admitted;
    }

    private async Task<bool> AdmitAsync(DbConnection connection, DbTransaction transaction, string actor, int limit, string spaceId, long hour, DateTimeOffset now)
    {
        var args = new { actor, hour, spaceId };
        var inserted = await connection.ExecuteAsync(
            "insert into access_rate (actor, hour, space_id) values (@actor, @hour, @spaceId) on conflict do nothing", args, transaction).ConfigureAwait(false);
        if (inserted == 0)
        {
            return true;
        }

        var opened = await connection.ExecuteScalarAsync<long>(
            "select count(*) from access_rate where actor = @actor and hour = @hour", args, transaction).ConfigureAwait(false);
        if (opened <= limit)
        {
            return true;
        }

        // Not counted as opened: the next try at this space is refused again.
        await connection.ExecuteAsync("delete from access_rate where actor = @actor and hour = @hour and space_id = @spaceId", args, transaction).ConfigureAwait(false);
        var raised = await connection.ExecuteAsync(
            "insert into operator_alerts (alert_id, kind, actor, hour, detail, raised_at_ms) values (@id, @kind, @actor, @hour, @detail, @at) on conflict do nothing",
            new { id = Guid.NewGuid().ToString(), kind = AlertKind, actor, hour, detail = $"More than {limit} distinct patient spaces opened within one hour.", at = now.ToUnixTimeMilliseconds() },
            transaction).ConfigureAwait(false);
        if (raised == 1)
        {
            LogMassAccess(logger, actor, limit);
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mass-access alert: {Actor} opened more than {Limit} distinct patient spaces within one hour")]
    private static partial void LogMassAccess(ILogger logger, string actor, int limit);
}
