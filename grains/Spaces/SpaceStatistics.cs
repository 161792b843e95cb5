using Dapper;
using MonEspaceSante.Storage;

namespace MonEspaceSante.Spaces;

/// <summary>What operators may know of spaces: counts by state, never content.</summary>
public sealed class SpaceStatistics(IDatabase database)
{
    public async Task<IReadOnlyDictionary<SpaceStatus, long>> CountByStatusAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Status, long Count)>(new CommandDefinition(
            "select status, count(*) from grains where grain_type = @type group by status",
            new { type = PatientSpaceGrain.GrainType },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        var counts = Enum.GetValues<SpaceStatus>().ToDictionary(s => s, _ => 0L);
        foreach (var (status, count) in rows)
        {
            counts[Enum.Parse<SpaceStatus>(status)] = count;
        }

        return counts;
    }
}
