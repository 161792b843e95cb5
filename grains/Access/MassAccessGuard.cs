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
        var professional = $"professional:{caller.Id}";
        var client = caller.Via is { } via ? $"client:{via}" : null;
        // Both actors' rows in one statement (one round trip on every read); it returns the
        // actors for whom this space is new this hour, the only ones whose count can have moved.
        var opened = (await connection.QueryAsync<string>(
            client is null
                ? "insert into access_rate (actor, hour, space_id) values (@professional, @hour, @spaceId) on conflict do nothing returning actor"
                : "insert into access_rate (actor, hour, space_id) values (@professional, @hour, @spaceId), (@client, @hour, @spaceId) on conflict do nothing returning actor",
            new { professional, client, hour, spaceId }, transaction).ConfigureAwait(false)).ToList();
        if (opened.Count == 0)
        {
            return true;
        }

        if (opened.Contains(professional) && !await WithinLimitAsync(connection, transaction, professional, options.Value.MaxSpacesPerHour, spaceId, hour, now).ConfigureAwait(false))
        {
            // Refused before the software is counted: its row, if new, goes too.
            if (client is not null && opened.Contains(client))
            {
                await ForgetAsync(connection, transaction, client, spaceId, hour).ConfigureAwait(false);
            }

            return false;
        }

        return client is null || !opened.Contains(client)
            || await WithinLimitAsync(connection, transaction, client, options.Value.MaxSpacesPerHourPerClient, spaceId, hour, now).ConfigureAwait(false);
    }

    private async Task<bool> WithinLimitAsync(DbConnection connection, DbTransaction transaction, string actor, int limit, string spaceId, long hour, DateTimeOffset now)
    {
        var opened = await connection.ExecuteScalarAsync<long>(
            "select count(*) from access_rate where actor = @actor and hour = @hour", new { actor, hour }, transaction).ConfigureAwait(false);
        if (opened <= limit)
        {
            return true;
        }

        // Not counted as opened: the next try at this space is refused again.
        await ForgetAsync(connection, transaction, actor, spaceId, hour).ConfigureAwait(false);
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

    private static Task<int> ForgetAsync(DbConnection connection, DbTransaction transaction, string actor, string spaceId, long hour) =>
        connection.ExecuteAsync("delete from access_rate where actor = @actor and hour = @hour and space_id = @spaceId", new { actor, hour, spaceId }, transaction);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mass-access alert: {Actor} opened more than {Limit} distinct patient spaces within one hour")]
    private static partial void LogMassAccess(ILogger logger, string actor, int limit);
}
