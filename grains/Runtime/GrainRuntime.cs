using Microsoft.Extensions.DependencyInjection;
using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Dapper;
using MonEspaceSante.Errors;
using MonEspaceSante.Jobs;
using MonEspaceSante.Notifications;
using MonEspaceSante.Storage;
using Microsoft.Extensions.Logging;

namespace MonEspaceSante.Runtime;

/// <summary>
/// Runs grain calls: each call is one transaction that loads the grain's row, runs the method,
/// writes the row back only if its version is unchanged, and appends the call's notifications
/// and jobs. A lost race (version moved, or two first writes) is retried with fresh state a
/// bounded number of times, so no two writers interleave on one grain, on any number of silos.
/// </summary>
public sealed class GrainRuntime(IDatabase database, [FromKeyedServices(PlatformClock.Key)] TimeProvider time, ILogger<GrainRuntime> logger, FeedSignal? feedSignal = null)
{
    public const int MaxAttempts = 8;

    public IDatabase Database => database;

    public TimeProvider Time => time;

    public Task<TResult> CallAsync<TState, TResult>(
        string grainType,
        string grainId,
        JsonTypeInfo<TState> stateType,
        Func<GrainContext<TState>, Task<TResult>> body,
        CancellationToken cancellationToken = default)
        where TState : class =>
        CallAsync(grainType, grainId, stateType, body, shared: false, cancellationToken);

    /// <summary>
    /// A call that reads the grain's state without changing it but writes the grain's side
    /// tables (its documents, say). The state row is locked for share: calls like this one run
    /// side by side, while a state change (a closure) waits for them, and they see its result.
    /// </summary>
    public Task<TResult> SharedCallAsync<TState, TResult>(
        string grainType,
        string grainId,
        JsonTypeInfo<TState> stateType,
        Func<GrainContext<TState>, Task<TResult>> body,
        CancellationToken cancellationToken = default)
        where TState : class =>
        CallAsync(grainType, grainId, stateType, body, shared: true, cancellationToken);

    private async Task<TResult> CallAsync<TState, TResult>(
        string grainType,
        string grainId,
        JsonTypeInfo<TState> stateType,
        Func<GrainContext<TState>, Task<TResult>> body,
        bool shared,
        CancellationToken cancellationToken)
        where TState : class
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // A call that lost a race retries holding the row lock: on a hot grain, optimism
                // alone could lose every attempt, while a locked retry is sure to win its turn.
                var rowLock = shared ? database.Dialect.ForShare : attempt > 1 ? database.Dialect.ForUpdate : "";
                return await TryCallAsync(grainType, grainId, stateType, body, shared, rowLock, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (attempt < MaxAttempts && IsRetryable(exception))
            {
                logger.LogDebug("Grain call {GrainType}/{GrainId} lost a race (attempt {Attempt}); retrying", grainType, grainId, attempt);
                // A short random pause keeps racing silos from colliding again in lockstep.
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (IsRetryable(exception))
            {
                throw new DomainException(DomainError.Conflict);
            }
        }
    }

    private bool IsRetryable(Exception exception) =>
        exception is GrainConflictException || database.Dialect.IsUniqueViolation(exception) || database.Dialect.IsTransient(exception);

    private async Task<TResult> TryCallAsync<TState, TResult>(
        string grainType,
        string grainId,
        JsonTypeInfo<TState> stateType,
        Func<GrainContext<TState>, Task<TResult>> body,
        bool shared,
        string rowLock,
        CancellationToken cancellationToken)
        where TState : class
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await database.BeginAsync(connection, cancellationToken).ConfigureAwait(false);

        var row = await connection.QuerySingleOrDefaultAsync<GrainRow>(
            new CommandDefinition(
                "select version as Version, cast(state as text) as State from grains where grain_type = @grainType and grain_id = @grainId " + rowLock,
                new { grainType, grainId },
                transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);

        var state = row is null ? null : JsonSerializer.Deserialize(row.State, stateType);
        var context = new GrainContext<TState>(grainId, state, row?.Version ?? 0, time.GetUtcNow(), connection, transaction);

        var result = await body(context).ConfigureAwait(false);

        if (context.Changed && shared)
        {
            throw new InvalidOperationException("A shared grain call cannot change the grain's state.");
        }

        if (context.Changed)
        {
            await WriteStateAsync(connection, transaction, grainType, grainId, row is not null, stateType, context, cancellationToken).ConfigureAwait(false);
        }

        foreach (var notification in context.Notifications)
        {
            await FeedWriter.AppendAsync(connection, transaction, database.Dialect, notification).ConfigureAwait(false);
        }

        foreach (var job in context.Jobs)
        {
            await JobQueue.InsertAsync(connection, transaction, job).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        if (context.Notifications.Count > 0)
        {
            feedSignal?.Pulse();
        }

        if (context.FailureAfterCommit is { } failure)
        {
            throw new DomainException(failure);
        }

        return result;
    }

    private async Task WriteStateAsync<TState>(
        DbConnection connection,
        DbTransaction transaction,
        string grainType,
        string grainId,
        bool exists,
        JsonTypeInfo<TState> stateType,
        GrainContext<TState> context,
        CancellationToken cancellationToken)
        where TState : class
    {
        int affected;
        if (context.Deleted)
        {
            affected = exists
                ? await connection.ExecuteAsync(new CommandDefinition(
                    "delete from grains where grain_type = @grainType and grain_id = @grainId and version = @version",
                    new { grainType, grainId, version = context.Version }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false)
                : 1;
        }
        else
        {
            var json = JsonSerializer.Serialize(context.State!, stateType);
            var parameters = new
            {
                grainType,
                grainId,
                version = context.Version,
                next = context.Version + 1,
                state = json,
                status = context.Status,
                due = context.DueAt?.ToUnixTimeMilliseconds(),
                now = context.Now.ToUnixTimeMilliseconds(),
            };
            // A first write races as an insert: the primary key turns the loser's insert into a
            // unique violation, which is retried like a version conflict.
            var sql = exists
                ? $"update grains set version = @next, state = {database.Dialect.GrainState("@state")}, status = @status, due_at_ms = @due, updated_at_ms = @now " +
                  "where grain_type = @grainType and grain_id = @grainId and version = @version"
                : $"insert into grains (grain_type, grain_id, version, state, status, due_at_ms, updated_at_ms) values (@grainType, @grainId, 1, {database.Dialect.GrainState("@state")}, @status, @due, @now)";
            affected = await connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        if (affected != 1)
        {
            throw new GrainConflictException(grainType, grainId);
        }
    }
}

internal sealed class GrainRow
{
    public long Version { get; set; }
    public string State { get; set; } = "";
}

public sealed class GrainConflictException(string grainType, string grainId)
    : Exception($"Grain {grainType}/{grainId} was written concurrently.");
