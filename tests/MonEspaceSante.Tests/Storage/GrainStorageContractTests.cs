using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using MonEspaceSante.Notifications;
using MonEspaceSante.Runtime;
using MonEspaceSante.Storage;
using MonEspaceSante.Tests.Infrastructure;
using Npgsql;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace MonEspaceSante.Tests.Storage;

/// <summary>
/// The grain storage contract (<see cref="GrainStateStorage"/>), run identically on PostgreSQL and
/// on the embedded SQLite default: plain JSON rows, version-checked writes, exactly one winner
/// among racing first writes, and state committed with its rows in one transaction or not at all.
/// </summary>
public abstract class GrainStorageContractTests : IAsyncLifetime
{
    private const string StateName = "counter";
    private readonly ManualTimeProvider clock = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));

    protected IDatabase Database { get; private set; } = null!;

    private GrainStateStorage Storage => new(Database, new GrainJson().Options, clock);

    protected abstract Task<IDatabase> CreateDatabaseAsync();

    public virtual async Task InitializeAsync()
    {
        Database = await CreateDatabaseAsync();
        await new Migrator(Database, clock, NullLogger<Migrator>.Instance).MigrateAsync();
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    private static GrainId Id(Guid key) => GrainId.Create("counter", key.ToString("N"));

    private async Task<(long Version, string State, string? Status, long? Due)?> RowAsync(Guid key)
    {
        await using var connection = await Database.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<(long, string, string?, long?)?>(
            "select version, cast(state as text), status, due_at_ms from grains where grain_type = @StateName and grain_id = @id",
            new { StateName, id = key.ToString() });
    }

    [Fact]
    public async Task A_grain_never_written_reads_as_a_fresh_state_without_record()
    {
        var state = new GrainState<CounterState>();
        await Storage.ReadStateAsync(StateName, Id(Guid.NewGuid()), state);

        state.RecordExists.Should().BeFalse();
        state.ETag.Should().BeNull();
        state.State.Should().NotBeNull();
        state.State!.Count.Should().Be(0);
    }

    [Fact]
    public async Task A_written_state_reads_back_and_is_stored_as_plain_json_under_its_guid()
    {
        var key = Guid.NewGuid();
        var written = new GrainState<CounterState>(new CounterState { Count = 7 });
        await Storage.WriteStateAsync(StateName, Id(key), written);

        written.ETag.Should().Be("1");
        var read = new GrainState<CounterState>();
        await Storage.ReadStateAsync(StateName, Id(key), read);
        read.RecordExists.Should().BeTrue();
        read.ETag.Should().Be("1");
        read.State!.Count.Should().Be(7);

        var row = await RowAsync(key);
        row!.Value.State.Should().Be("""{"count":7}""", "the row is plain System.Text.Json: no type names, readable by any tool");
    }

    [Fact]
    public async Task A_write_from_a_stale_version_is_refused_and_changes_nothing()
    {
        var key = Guid.NewGuid();
        var first = new GrainState<CounterState>(new CounterState { Count = 1 });
        await Storage.WriteStateAsync(StateName, Id(key), first);
        var stale = new GrainState<CounterState>();
        await Storage.ReadStateAsync(StateName, Id(key), stale);
        first.State!.Count = 2;
        await Storage.WriteStateAsync(StateName, Id(key), first);

        stale.State!.Count = 100;
        var write = () => Storage.WriteStateAsync(StateName, Id(key), stale);

        await write.Should().ThrowAsync<InconsistentStateException>();
        (await RowAsync(key))!.Value.Version.Should().Be(2);
        (await RowAsync(key))!.Value.State.Should().Be("""{"count":2}""");
    }

    [Fact]
    public async Task Racing_first_writes_leave_exactly_one_row_and_every_loser_is_told()
    {
        var key = Guid.NewGuid();
        const int racers = 20;
        var outcomes = await Task.WhenAll(Enumerable.Range(1, racers).Select(async n =>
        {
            await Task.Yield();
            try
            {
                await Storage.WriteStateAsync(StateName, Id(key), new GrainState<CounterState>(new CounterState { Count = n }));
                return (Won: true, n);
            }
            catch (InconsistentStateException)
            {
                return (Won: false, n);
            }
        }));

        outcomes.Count(o => o.Won).Should().Be(1);
        var row = await RowAsync(key);
        row!.Value.Version.Should().Be(1);
        row.Value.State.Should().Be($$"""{"count":{{outcomes.Single(o => o.Won).n}}}""");
    }

    [Fact]
    public async Task Clearing_removes_the_row_and_a_stale_clear_is_refused()
    {
        var key = Guid.NewGuid();
        var state = new GrainState<CounterState>(new CounterState { Count = 3 });
        await Storage.WriteStateAsync(StateName, Id(key), state);
        var stale = new GrainState<CounterState>();
        await Storage.ReadStateAsync(StateName, Id(key), stale);
        await Storage.WriteStateAsync(StateName, Id(key), state);

        var staleClear = () => Storage.ClearStateAsync(StateName, Id(key), stale);
        await staleClear.Should().ThrowAsync<InconsistentStateException>();
        (await RowAsync(key)).Should().NotBeNull();

        await Storage.ClearStateAsync(StateName, Id(key), state);
        (await RowAsync(key)).Should().BeNull();
        state.RecordExists.Should().BeFalse();
        state.ETag.Should().BeNull();
    }

    [Fact]
    public async Task Inside_a_grain_transaction_the_state_commits_with_its_rows_or_not_at_all()
    {
        var kept = Guid.NewGuid();
        var dropped = Guid.NewGuid();

        await using (var transaction = (await GrainTransaction.BeginAsync(Database)).Enlist())
        {
            transaction.Status = "counting";
            transaction.DueAt = clock.GetUtcNow().AddDays(42);
            await Storage.WriteStateAsync(StateName, Id(kept), new GrainState<CounterState>(new CounterState { Count = 1 }));
            await FeedWriter.AppendAsync(transaction.Connection, transaction.Transaction, Database.Dialect,
                new NotificationRecord(kept.ToString(), Guid.NewGuid(), "counter.counted", "{}", clock.GetUtcNow()));
            transaction.StateWritten.Should().BeTrue();
            (await RowAsync(kept)).Should().BeNull("nothing is visible before the commit");
            await transaction.CommitAsync();
        }

        await using (var transaction = (await GrainTransaction.BeginAsync(Database)).Enlist())
        {
            await Storage.WriteStateAsync(StateName, Id(dropped), new GrainState<CounterState>(new CounterState { Count = 1 }));
            await FeedWriter.AppendAsync(transaction.Connection, transaction.Transaction, Database.Dialect,
                new NotificationRecord(dropped.ToString(), Guid.NewGuid(), "counter.counted", "{}", clock.GetUtcNow()));
            // Disposed without a commit: a grain call that failed after writing.
        }

        GrainTransaction.Current.Should().BeNull();
        var row = await RowAsync(kept);
        row!.Value.Status.Should().Be("counting");
        row.Value.Due.Should().Be(clock.GetUtcNow().AddDays(42).ToUnixTimeMilliseconds(), "schedulers find the grain by its indexed deadline");
        (await RowAsync(dropped)).Should().BeNull();
        await using var connection = await Database.OpenAsync();
        (await connection.ExecuteScalarAsync<long>("select count(*) from notifications where recipient_id = @id", new { id = kept.ToString() })).Should().Be(1);
        (await connection.ExecuteScalarAsync<long>("select count(*) from notifications where recipient_id = @id", new { id = dropped.ToString() })).Should().Be(0);
    }
}

public sealed class PostgresGrainStorageContractTests : GrainStorageContractTests
{
    private readonly TestPostgres postgres = new();

    protected override async Task<IDatabase> CreateDatabaseAsync()
    {
        await postgres.InitializeAsync();
        return new PostgresDatabase(NpgsqlDataSource.Create(postgres.ConnectionString));
    }

    public override async Task DisposeAsync()
    {
        await ((PostgresDatabase)Database).DisposeAsync();
        await postgres.DisposeAsync();
    }
}

public sealed class SqliteGrainStorageContractTests : GrainStorageContractTests
{
    private readonly TempFolder folder = new();

    protected override Task<IDatabase> CreateDatabaseAsync() =>
        Task.FromResult<IDatabase>(new SqliteDatabase(Path.Combine(folder.Path, "grains.db")));

    public override Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        folder.Dispose();
        return Task.CompletedTask;
    }
}
