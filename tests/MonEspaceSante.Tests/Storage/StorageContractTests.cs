using System.Text.Json.Serialization;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using MonEspaceSante.Errors;
using MonEspaceSante.Jobs;
using MonEspaceSante.Notifications;
using MonEspaceSante.Runtime;
using MonEspaceSante.Storage;
using MonEspaceSante.Tests.Infrastructure;
using Npgsql;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace MonEspaceSante.Tests.Storage;

public sealed class CounterState
{
    public int Count { get; set; }
}

[JsonSerializable(typeof(CounterState))]
internal sealed partial class TestJsonContext : JsonSerializerContext;

/// <summary>
/// The storage contract: what grain state writes in a grain transaction, the feed and the job
/// queue promise, run identically on PostgreSQL and on the embedded SQLite default. Writers here
/// race on one row as activations on two silos could; Orleans keeps one activation per grain,
/// so this is the storage's own guarantee, beneath the cluster's.
/// </summary>
public abstract class StorageContractTests : IAsyncLifetime
{
    private readonly ManualTimeProvider clock = new(new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero));

    protected IDatabase Database { get; private set; } = null!;

    private GrainStateStorage Storage => new(Database, new GrainJson().Options, clock);

    private Migrator Migrator => new(Database, clock, NullLogger<Migrator>.Instance);

    protected abstract Task<IDatabase> CreateDatabaseAsync();

    public virtual async Task InitializeAsync() => Database = await CreateDatabaseAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>
    /// One increment as a grain call does it: in one transaction, read the state, write it with
    /// its version check, add the call's rows, commit; a lost race is run again on fresh state.
    /// </summary>
    private async Task<int> IncrementAsync(string id, Func<GrainTransaction, Task>? also = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var transaction = (await GrainTransaction.BeginAsync(Database)).Enlist();
                var state = new GrainState<CounterState>();
                await Storage.ReadStateAsync("counter", GrainId.Create("counter", id), state);
                state.State!.Count++;
                transaction.Status = "counting";
                await Storage.WriteStateAsync("counter", GrainId.Create("counter", id), state);
                if (also is not null)
                {
                    await also(transaction);
                }

                await transaction.CommitAsync();
                return state.State.Count;
            }
            catch (Exception exception) when (attempt < 200 && (exception is InconsistentStateException || Database.Dialect.IsTransient(exception)))
            {
                await Task.Delay(Random.Shared.Next(1, 5));
            }
        }
    }

    private async Task<long> Notify(GrainTransaction transaction, string recipient, string kind, string payload) =>
        (await FeedWriter.AppendAsync(transaction.Connection, transaction.Transaction, Database.Dialect, new NotificationRecord(recipient, Guid.NewGuid(), kind, payload, clock.GetUtcNow()))).Sequence;

    private async Task<(long Version, int Count)?> ReadAsync(string id)
    {
        await using var connection = await Database.OpenAsync();
        var row = await connection.QuerySingleOrDefaultAsync<(long, string)?>(
            "select version, cast(state as text) from grains where grain_type = 'counter' and grain_id = @id", new { id });
        return row is { } r ? (r.Item1, System.Text.Json.JsonSerializer.Deserialize<CounterState>(r.Item2, new GrainJson().Options)!.Count) : null;
    }

    [Fact]
    public async Task Migrations_apply_once_and_report_the_latest_version()
    {
        var applied = await Migrator.MigrateAsync();
        applied.Should().Equal(MonEspaceSante.Storage.Migrator.Load(Database.Provider).Select(m => m.Version));
        (await Migrator.MigrateAsync()).Should().BeEmpty();
        (await Migrator.CurrentVersionAsync()).Should().Be(applied[^1]);
    }

    [Fact]
    public async Task Upgrading_an_existing_database_keeps_its_data()
    {
        (await Migrator.MigrateAsync(targetVersion: 1)).Should().Equal(1);
        await IncrementAsync("kept");
        await IncrementAsync("kept");

        var applied = await Migrator.MigrateAsync();

        applied.Should().NotBeEmpty().And.NotContain(1);
        (await ReadAsync("kept")).Should().Be((2L, 2));
        await using var connection = await Database.OpenAsync();
        (await connection.ExecuteScalarAsync<long>("select count(*) from enrolment_imports")).Should().Be(0);
    }

    [Fact]
    public async Task Each_write_bumps_the_version()
    {
        await Migrator.MigrateAsync();
        await IncrementAsync("a");
        await IncrementAsync("a");
        await IncrementAsync("a");
        (await ReadAsync("a")).Should().Be((3L, 3));
    }

    [Fact]
    public async Task Concurrent_calls_on_one_grain_lose_no_update_and_all_succeed()
    {
        await Migrator.MigrateAsync();
        await Task.WhenAll(Enumerable.Range(0, 48).Select(_ => Task.Run(() => IncrementAsync("hot"))));
        (await ReadAsync("hot")).Should().Be((48L, 48));
    }

    [Fact]
    public async Task A_refusal_rolls_back_state_feed_and_jobs()
    {
        await Migrator.MigrateAsync();
        await IncrementAsync("r");
        var act = () => IncrementAsync("r", async transaction =>
        {
            await Notify(transaction, "someone", "kind", "{}");
            await JobQueue.InsertAsync(transaction.Connection, transaction.Transaction, JobRecord.Create("k", "p", clock.GetUtcNow()));
            throw new DomainException(DomainError.Forbidden);
        });
        await act.Should().ThrowAsync<DomainException>();
        (await ReadAsync("r")).Should().Be((1L, 1));
        (await FeedWriter.ReadAsync(Database, "someone", 0, 10)).Should().BeEmpty();
        await using var connection = await Database.OpenAsync();
        (await connection.ExecuteScalarAsync<long>("select count(*) from jobs")).Should().Be(0);
    }

    [Fact]
    public async Task Feed_sequences_are_gap_free_per_recipient_under_concurrency()
    {
        await Migrator.MigrateAsync();
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            IncrementAsync("writer-" + (i % 5), transaction => Notify(transaction, "patient-1", "test.event", $"{{\"i\":{i}}}")))));
        var feed = await FeedWriter.ReadAsync(Database, "patient-1", 0, 100);
        feed.Select(f => f.Sequence).Should().Equal(Enumerable.Range(1, 20).Select(i => (long)i));
        feed.Select(f => f.Id).Should().OnlyHaveUniqueItems();
        (await FeedWriter.ReadAsync(Database, "patient-1", 15, 100)).Select(f => f.Sequence).Should().Equal(16, 17, 18, 19, 20);
    }

    [Fact]
    public async Task A_notification_is_live_only_while_its_recipient_holds_a_lease()
    {
        await Migrator.MigrateAsync();
        async Task<FeedAppend> AppendAsync(string recipient)
        {
            await using var transaction = (await GrainTransaction.BeginAsync(Database)).Enlist();
            var appended = await FeedWriter.AppendAsync(transaction.Connection, transaction.Transaction, Database.Dialect,
                new NotificationRecord(recipient, Guid.NewGuid(), "test.event", "{}", clock.GetUtcNow()));
            await transaction.CommitAsync();
            return appended;
        }

        (await AppendAsync("patient-1")).Should().Be(new FeedAppend(1, Live: false), "nobody listens");

        // A lease taken before the recipient's first notification starts their feed at 1 all the same.
        await LiveLeases.TakeAsync(Database, "patient-2", clock.GetUtcNow().AddMinutes(2));
        (await AppendAsync("patient-2")).Should().Be(new FeedAppend(1, Live: true));

        await LiveLeases.TakeAsync(Database, "patient-1", clock.GetUtcNow().AddMinutes(2));
        (await AppendAsync("patient-1")).Should().Be(new FeedAppend(2, Live: true));
        await LiveLeases.TakeAsync(Database, "patient-1", clock.GetUtcNow().AddMinutes(1));
        clock.Advance(TimeSpan.FromSeconds(90));
        (await AppendAsync("patient-1")).Live.Should().BeTrue("a shorter lease taken later does not cut the longer one");

        clock.Advance(TimeSpan.FromMinutes(1));
        (await AppendAsync("patient-1")).Should().Be(new FeedAppend(4, Live: false), "the lease ran out");
        (await AppendAsync("patient-2")).Live.Should().BeFalse();

        await LiveLeases.RenewAsync(Database, ["patient-1", "nobody"], clock.GetUtcNow().AddMinutes(2));
        (await AppendAsync("patient-1")).Should().Be(new FeedAppend(5, Live: true), "renewed");
        (await AppendAsync("patient-2")).Live.Should().BeFalse("only the listed recipients are renewed");
        (await FeedWriter.ReadAsync(Database, "nobody", 0, 10)).Should().BeEmpty("renewing creates no feed");
    }

    [Fact]
    public async Task Writes_sent_with_a_notification_commit_and_roll_back_with_it()
    {
        await Migrator.MigrateAsync();
        async Task<FeedAppend> AppendAsync(string contentKey, bool commit)
        {
            await using var transaction = (await GrainTransaction.BeginAsync(Database)).Enlist();
            var appended = await FeedWriter.AppendAsync(transaction.Connection, transaction.Transaction, Database.Dialect,
                new NotificationRecord("patient-1", Guid.NewGuid(), "test.event", "{}", clock.GetUtcNow()),
                [Content.ContentOrphans.Registration(contentKey, "space-1", clock.GetUtcNow()), new CommitWrite("update content_orphans set since_ms = @since where content_key = @first", new { since = 7, first = "key-1" })]);
            if (commit)
            {
                await transaction.CommitAsync();
            }

            return appended;
        }

        (await AppendAsync("key-1", commit: true)).Should().Be(new FeedAppend(1, Live: false), "the append's own row is read past the writes' empty results");
        (await AppendAsync("key-2", commit: false)).Sequence.Should().Be(2);
        await using (var connection = await Database.OpenAsync())
        {
            (await connection.QueryAsync<(string, long)>("select content_key, since_ms from content_orphans order by content_key")).Should().Equal(("key-1", 7L));
        }

        (await FeedWriter.ReadAsync(Database, "patient-1", 0, 10)).Select(f => f.Sequence).Should().Equal(1);

        // A name shared with the append, or between two writes, would bind one value to both.
        var feedName = new CommitWrite("insert into content_orphans (content_key, space_id, since_ms) values (@id, 'space-1', 0)", new { id = "key-3" });
        var registration = Content.ContentOrphans.Registration("key-4", "space-1", clock.GetUtcNow());
        FeedWriter.CanSendAlongside(Database.Dialect, [feedName]).Should().BeFalse();
        FeedWriter.CanSendAlongside(Database.Dialect, [registration, Content.ContentOrphans.Registration("key-5", "space-1", clock.GetUtcNow())]).Should().BeFalse();
        FeedWriter.CanSendAlongside(Database.Dialect, [registration]).Should().Be(Database.Dialect.Provider == DatabaseProvider.Postgres);
        if (Database.Dialect.Provider == DatabaseProvider.Postgres)
        {
            var clash = async () =>
            {
                await using var transaction = (await GrainTransaction.BeginAsync(Database)).Enlist();
                await FeedWriter.AppendAsync(transaction.Connection, transaction.Transaction, Database.Dialect,
                    new NotificationRecord("patient-1", Guid.NewGuid(), "test.event", "{}", clock.GetUtcNow()), [feedName]);
            };
            await clash.Should().ThrowAsync<InvalidOperationException>();
        }
    }

    [Fact]
    public async Task A_checked_write_sent_with_a_notification_sees_its_number_and_can_refuse_the_call()
    {
        await Migrator.MigrateAsync();
        var seen = new List<long>();
        async Task SendAsync(long limit)
        {
            await using var transaction = (await GrainTransaction.BeginAsync(Database)).Enlist();
            var counter = new CommitWrite(
                "insert into message_rate (sender, hour, sent) values (@sender, 1, 1) on conflict (sender, hour) do update set sent = message_rate.sent + 1 returning sent",
                new { sender = "mailbox-1" })
            {
                Check = sent =>
                {
                    seen.Add(sent);
                    if (sent > limit)
                    {
                        throw new DomainException(DomainError.TooManyMessages);
                    }
                },
            };
            await FeedWriter.AppendAsync(transaction.Connection, transaction.Transaction, Database.Dialect,
                new NotificationRecord("patient-1", Guid.NewGuid(), "test.event", "{}", clock.GetUtcNow()),
                [Content.ContentOrphans.Registration($"key-{seen.Count}", "space-1", clock.GetUtcNow()), counter]);
            await transaction.CommitAsync();
        }

        await SendAsync(limit: 2);
        await SendAsync(limit: 2);
        var third = () => SendAsync(limit: 2);
        (await third.Should().ThrowAsync<DomainException>()).Which.Error.Should().Be(DomainError.TooManyMessages);
        seen.Should().Equal(1, 2, 3);

        // The refused call left nothing: not its counter, its registration nor its notification.
        await using var connection = await Database.OpenAsync();
        (await connection.ExecuteScalarAsync<long>("select sent from message_rate where sender = 'mailbox-1'")).Should().Be(2);
        (await connection.ExecuteScalarAsync<long>("select count(*) from content_orphans")).Should().Be(2);
        (await FeedWriter.ReadAsync(Database, "patient-1", 0, 10)).Select(f => f.Sequence).Should().Equal(1, 2);
    }

    [Fact]
    public async Task A_job_is_claimed_by_one_worker_and_retried_with_backoff()
    {
        await Migrator.MigrateAsync();
        var queue = new JobQueue(Database, clock);
        for (var i = 0; i < 10; i++)
        {
            await queue.EnqueueAsync(new JobRecord("job-" + i, "work", "payload-" + i, clock.GetUtcNow()));
        }

        await queue.EnqueueAsync(new JobRecord("job-0", "work", "duplicate", clock.GetUtcNow())); // same id: no-op
        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => queue.ClaimAsync(["work"], 5))));
        var all = claims.SelectMany(c => c).ToList();
        all.Select(j => j.Id).Should().OnlyHaveUniqueItems().And.HaveCount(10);
        all.Single(j => j.Id == "job-0").Payload.Should().Be("payload-0");

        var failed = all.Single(j => j.Id == "job-1");
        await queue.FailAsync(failed, "smtp down");
        (await queue.ClaimAsync(["work"], 10)).Should().BeEmpty("the failed job waits for its backoff and the others are leased");
        clock.Advance(TimeSpan.FromSeconds(6));
        (await queue.ClaimAsync(["work"], 10)).Select(j => (j.Id, j.Attempts)).Should().Equal(("job-1", 2));

        await queue.CompleteAsync("job-2");
        await using var connection = await Database.OpenAsync();
        (await connection.ExecuteScalarAsync<string>("select payload from jobs where id = 'job-2'")).Should().BeEmpty();
        clock.Advance(TimeSpan.FromMinutes(6));
        (await queue.ClaimAsync(["work"], 20)).Select(j => j.Id).Should().NotContain("job-2").And.Contain("job-3", "an expired lease frees a crashed worker's job");
    }
}

public sealed class PostgresStorageContractTests : StorageContractTests
{
    private readonly TestPostgres postgres = new();

    protected override async Task<IDatabase> CreateDatabaseAsync()
    {
        await postgres.InitializeAsync();
        return new PostgresDatabase(NpgsqlDataSource.Create(postgres.ConnectionString));
    }

    [Fact]
    public async Task Migration_3_turns_stored_jsonb_states_into_json_that_reads_back_the_same()
    {
        var migrator = new Migrator(Database, TimeProvider.System, NullLogger<Migrator>.Instance);
        await migrator.MigrateAsync(targetVersion: 2);
        await using var connection = await Database.OpenAsync();
        await connection.ExecuteAsync(
            "insert into grains (grain_type, grain_id, version, state, status, updated_at_ms) values ('counter', 'old', 4, cast(@state as jsonb), 'counting', 0)",
            new { state = """{"Count": 41, "Note": "écrit avant 0003"}""" });

        (await migrator.MigrateAsync()).Should().Contain(3);

        (await connection.ExecuteScalarAsync<string>("select pg_typeof(state)::text from grains where grain_id = 'old'")).Should().Be("json");
        var text = await connection.ExecuteScalarAsync<string>("select cast(state as text) from grains where grain_id = 'old'");
        System.Text.Json.JsonSerializer.Deserialize(text!, TestJsonContext.Default.CounterState)!.Count.Should().Be(41);
        var refused = async () => await connection.ExecuteAsync(
            "update grains set state = cast(@state as json) where grain_id = 'old'", new { state = "{not json" });
        await refused.Should().ThrowAsync<PostgresException>("json still refuses text that is not JSON");
    }

    public override async Task DisposeAsync()
    {
        await ((PostgresDatabase)Database).DisposeAsync();
        await postgres.DisposeAsync();
    }
}

public sealed class SqliteStorageContractTests : StorageContractTests
{
    private readonly TempFolder folder = new();

    protected override Task<IDatabase> CreateDatabaseAsync() =>
        Task.FromResult<IDatabase>(new SqliteDatabase(Path.Combine(folder.Path, "contract.db")));

    public override Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        folder.Dispose();
        return Task.CompletedTask;
    }
}
