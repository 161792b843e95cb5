using System.Data.Common;
using Dapper;

namespace MonEspaceSante.Storage;

/// <summary>
/// A row write whose result the grain call does not need (say, registering a pending content
/// object), or only checks (<see cref="Check"/>), made with the call's commit: on PostgreSQL it
/// rides in the round trip of the call's first notification instead of taking one of its own.
/// Its parameter names must not be those of the feed append (<c>recipient</c>, <c>id</c>,
/// <c>kind</c>, <c>payload</c>, <c>at</c>) nor those of another write sent with it (names are
/// matched without case); writes that would clash are made on their own. A class, not a
/// record: a record's generated text would print the parameters, a message's text among them.
/// </summary>
public sealed class CommitWrite(string sql, object parameters)
{
    public string Sql { get; } = sql;

    public object Parameters { get; } = parameters;

    /// <summary>
    /// For a write that returns one number (say, a counter's new value): called with it before
    /// the commit, and may throw to refuse the call, which rolls everything back.
    /// </summary>
    public Action<long>? Check { get; init; }

    /// <summary>Makes the write on its own, in <paramref name="transaction"/>.</summary>
    public async Task RunAsync(DbConnection connection, DbTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (Check is null)
        {
            await connection.ExecuteAsync(Sql, Parameters, transaction).ConfigureAwait(false);
            return;
        }

        Check(await connection.ExecuteScalarAsync<long>(Sql, Parameters, transaction).ConfigureAwait(false));
    }

    /// <summary>The names its parameters bind to: the properties of <see cref="Parameters"/>, or the names a <see cref="DynamicParameters"/> holds.</summary>
    public IEnumerable<string> ParameterNames =>
        Parameters is DynamicParameters dynamic ? dynamic.ParameterNames : Parameters.GetType().GetProperties().Select(p => p.Name);
}
