using Dapper;
using MonEspaceSante.Storage;

namespace MonEspaceSante.Access;

public sealed record OperatorAlert(Guid Id, string Kind, string Actor, string Detail, DateTimeOffset RaisedAt);

/// <summary>Alerts raised for operators (mass access), newest first. They name an actor, never a patient.</summary>
public sealed class OperatorAlerts(IDatabase database)
{
    public async Task<IReadOnlyList<OperatorAlert>> ListAsync(DateTimeOffset? since, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Id, string Kind, string Actor, string Detail, long At)>(
            new CommandDefinition(
                "select alert_id, kind, actor, detail, raised_at_ms from operator_alerts where raised_at_ms >= @since order by raised_at_ms desc limit @limit",
                new { since = since?.ToUnixTimeMilliseconds() ?? 0, limit = Math.Clamp(limit, 1, 500) },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new OperatorAlert(Guid.Parse(r.Id), r.Kind, r.Actor, r.Detail, DateTimeOffset.FromUnixTimeMilliseconds(r.At))).ToList();
    }
}
