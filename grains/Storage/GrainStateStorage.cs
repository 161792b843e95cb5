using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Orleans.Storage;

namespace MonEspaceSante.Storage;

/// <summary>
/// Orleans grain storage on the <c>grains</c> table of PostgreSQL or SQLite: one row per grain,
/// keyed by (state name, grain key), state as plain System.Text.Json (no type names), and a
/// version that every write checks. Written by hand rather than using the ADO.NET persistence
/// provider because a grain call must be able to commit its state and its append-only rows in
/// one transaction: inside a <see cref="GrainTransaction"/> a write joins it and the caller
/// commits; outside one, each write is its own transaction. A first write is an insert, so two
/// racing first writes cannot both succeed (the primary key refuses the second), and a write
/// from a stale version changes nothing: both surface as <see cref="InconsistentStateException"/>.
/// </summary>
public sealed class GrainStateStorage(IDatabase database, JsonSerializerOptions json, TimeProvider time) : IGrainStorage
{
    public const string ProviderName = "grains";

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var key = KeyOf(grainId);
        var ambient = GrainTransaction.Current;
        await using var owned = ambient is null ? await database.OpenAsync().ConfigureAwait(false) : null;
        var connection = ambient?.Connection ?? owned!;
        var row = await connection.QuerySingleOrDefaultAsync<StoredRow>(new CommandDefinition(
            "select version as Version, cast(state as text) as State from grains where grain_type = @stateName and grain_id = @key",
            new { stateName, key },
            ambient?.Transaction)).ConfigureAwait(false);
        if (row is null)
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        grainState.State = JsonSerializer.Deserialize<T>(row.State, json)!;
        grainState.ETag = row.Version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var key = KeyOf(grainId);
        var ambient = GrainTransaction.Current;
        var state = JsonSerializer.Serialize(grainState.State, json);
        var version = grainState.RecordExists && grainState.ETag is { } etag ? long.Parse(etag, CultureInfo.InvariantCulture) : 0;
        var parameters = new
        {
            stateName,
            key,
            version,
            next = version + 1,
            state,
            status = ambient?.Status,
            due = ambient?.DueAt?.ToUnixTimeMilliseconds(),
            now = time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        var sql = version > 0
            ? $"update grains set version = @next, state = {database.Dialect.GrainState("@state")}, status = @status, due_at_ms = @due, updated_at_ms = @now " +
              "where grain_type = @stateName and grain_id = @key and version = @version"
            : $"insert into grains (grain_type, grain_id, version, state, status, due_at_ms, updated_at_ms) values (@stateName, @key, 1, {database.Dialect.GrainState("@state")}, @status, @due, @now)";

        await ExecuteAsync(ambient, sql, parameters, grainState.ETag, stateName, key).ConfigureAwait(false);
        grainState.ETag = (version + 1).ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        if (!grainState.RecordExists || grainState.ETag is null)
        {
            grainState.State = Activator.CreateInstance<T>();
            return;
        }

        var key = KeyOf(grainId);
        var version = long.Parse(grainState.ETag, CultureInfo.InvariantCulture);
        await ExecuteAsync(
            GrainTransaction.Current,
            "delete from grains where grain_type = @stateName and grain_id = @key and version = @version",
            new { stateName, key, version },
            grainState.ETag,
            stateName,
            key).ConfigureAwait(false);
        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    /// <summary>
    /// The row key of a grain: a Guid key as its usual hyphenated text (the form the enrolment
    /// import writes with binary COPY), any other key as Orleans formats it.
    /// </summary>
    public static string KeyOf(GrainId grainId) =>
        grainId.TryGetGuidKey(out var guid, out var extension) && extension is null
            ? guid.ToString()
            : grainId.Key.ToString()!;

    private async Task ExecuteAsync(GrainTransaction? ambient, string sql, object parameters, string? etag, string stateName, string key)
    {
        int affected;
        try
        {
            if (ambient is not null)
            {
                affected = await ambient.Connection.ExecuteAsync(new CommandDefinition(sql, parameters, ambient.Transaction)).ConfigureAwait(false);
                ambient.StateWritten = true;
            }
            else
            {
                await using var connection = await database.OpenAsync().ConfigureAwait(false);
                await using var transaction = await database.BeginAsync(connection).ConfigureAwait(false);
                affected = await connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction)).ConfigureAwait(false);
                if (affected == 1)
                {
                    await transaction.CommitAsync().ConfigureAwait(false);
                }
            }
        }
        catch (DbException exception) when (database.Dialect.IsUniqueViolation(exception))
        {
            throw new InconsistentStateException($"Grain {stateName}/{key} was first written by another activation.", storedEtag: "unknown", currentEtag: etag ?? "none", exception);
        }

        if (affected != 1)
        {
            throw new InconsistentStateException($"Grain {stateName}/{key} was written by another activation.", storedEtag: "unknown", currentEtag: etag ?? "none");
        }
    }

    private sealed class StoredRow
    {
        public long Version { get; set; }
        public string State { get; set; } = "";
    }
}
