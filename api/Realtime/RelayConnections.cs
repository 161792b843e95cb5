using Microsoft.Extensions.Options;
using MonEspaceSante.Storage;
using Npgsql;

namespace MonEspaceSante.Api.Realtime;

/// <summary>
/// The relay's own database connections. Sharing the grains' pool, the relay waited behind grain
/// calls for a connection whenever they filled it: at 1,000 events a second on a loaded machine
/// its reads took 0.3–1 s instead of 1 ms, and every live notification was that late. A pool of
/// its own (it reads on one connection at a time) keeps the relay's cadence whatever the load.
/// </summary>
public sealed class RelayConnections : IAsyncDisposable
{
    private readonly PostgresDatabase? own;

    public RelayConnections(IDatabase shared, IOptions<StorageOptions> storage)
    {
        ArgumentNullException.ThrowIfNull(shared);
        ArgumentNullException.ThrowIfNull(storage);
        if (shared.Provider == DatabaseProvider.Postgres && storage.Value.ConnectionString is { Length: > 0 } connectionString)
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString) { MinPoolSize = 0, MaxPoolSize = 2, ApplicationName = "notification-relay" };
            own = new PostgresDatabase(NpgsqlDataSource.Create(builder.ConnectionString));
        }

        // SQLite: one file, one writer; nothing to gain from separate connections.
        Database = own ?? shared;
    }

    public IDatabase Database { get; }

    public ValueTask DisposeAsync() => own?.DisposeAsync() ?? ValueTask.CompletedTask;
}
