using Npgsql;
using MonEspaceSante.Access;

namespace MonEspaceSante.Bench;

/// <summary>
/// The raw baseline of a professional's checked access, shared by the access and health profile
/// benchmarks: the statements the platform issues for one allowed access, with Npgsql alone, into
/// trigger-less copies of the history, rate and feed tables.
/// </summary>
internal static class RawAccess
{
    public static async Task CreateTablesAsync(NpgsqlDataSource dataSource)
    {
        // Copies without the triggers, so the baseline's rows never touch the real history.
        await using var command = dataSource.CreateCommand(
            "create table raw_access_history (like access_history including defaults including indexes); " +
            "create table raw_access_rate (like access_rate including indexes); " +
            "create table raw_feed_heads (like feed_heads including defaults including indexes); " +
            "create table raw_notifications (like notifications including defaults including identity including indexes);");
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Like the grain runtime, a read that lost the race for a history sequence is run again.</summary>
    public static async Task RetryingAsync(Func<Task> read)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await read();
                return;
            }
            catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation && attempt < 8)
            {
            }
        }
    }

    /// <summary>The grain rows read, the professional's directory row, the guard's insert, the history head and entry, the patient's notification.</summary>
    public static async Task CheckedAccessAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string spaceId, string rpps, string action, IReadOnlyList<string> grainTypes)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var type in grainTypes)
        {
            await using var state = new NpgsqlCommand("select version, cast(state as text) from grains where grain_type = $1 and grain_id = $2", connection, transaction);
            state.Parameters.AddWithValue(type);
            state.Parameters.AddWithValue(spaceId);
            await using var reader = await state.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                _ = reader.GetString(1);
            }
        }

        await using (var professional = new NpgsqlCommand("select rpps, last_name, first_name, profession_code, profession, specialty, facility_finess, facility_name, city from professionals where rpps = $1", connection, transaction))
        {
            professional.Parameters.AddWithValue(rpps);
            await using var reader = await professional.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
            }
        }

        await using (var rate = new NpgsqlCommand("insert into raw_access_rate (actor, hour, space_id) values ($1, $2, $3) on conflict do nothing", connection, transaction))
        {
            rate.Parameters.AddWithValue("professional:" + rpps);
            rate.Parameters.AddWithValue(now / 3_600_000);
            rate.Parameters.AddWithValue(spaceId);
            await rate.ExecuteNonQueryAsync();
        }

        long seq;
        await using (var head = new NpgsqlCommand("select seq, hash from raw_access_history where space_id = $1 order by seq desc limit 1", connection, transaction))
        {
            head.Parameters.AddWithValue(spaceId);
            seq = (long)(await head.ExecuteScalarAsync() ?? 0L) + 1;
        }

        await using (var history = new NpgsqlCommand(
            "insert into raw_access_history (space_id, seq, entry_id, at_ms, rpps, actor_name, profession, facility, via, action, target, emergency, reason, outcome, prev_hash, hash) " +
            "values ($1, $2, $3, $4, $5, 'Docteur Bench', 'Médecin', 'Hôpital Bench', 'bench-hospital', $7, null, 0, null, 'Allowed', $6, $6)", connection, transaction))
        {
            history.Parameters.AddWithValue(spaceId);
            history.Parameters.AddWithValue(seq);
            history.Parameters.AddWithValue(Guid.NewGuid().ToString());
            history.Parameters.AddWithValue(now);
            history.Parameters.AddWithValue(rpps);
            history.Parameters.AddWithValue(AccessHistory.Genesis);
            history.Parameters.AddWithValue(action);
            await history.ExecuteNonQueryAsync();
        }

        await using (var notify = new NpgsqlCommand(
            "with head as (insert into raw_feed_heads (recipient_id, last_seq) values ($1, 1) on conflict (recipient_id) do update set last_seq = raw_feed_heads.last_seq + 1 returning last_seq) " +
            "insert into raw_notifications (recipient_id, seq, id, kind, payload, created_at_ms) select $1, head.last_seq, $2, 'access.professional', cast($3 as jsonb), $4 from head", connection, transaction))
        {
            notify.Parameters.AddWithValue(spaceId);
            notify.Parameters.AddWithValue(Guid.NewGuid());
            notify.Parameters.AddWithValue("{\"rpps\":\"" + rpps + "\",\"action\":\"" + action + "\",\"outcome\":\"Allowed\"}");
            notify.Parameters.AddWithValue(now);
            await notify.ExecuteNonQueryAsync();
        }
    }
}
