using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using MonEspaceSante.Notifications;
using MonEspaceSante.Tests.Infrastructure;
using Npgsql;

namespace MonEspaceSante.Tests.Notifications;

/// <summary>The feed's retention: old notifications and finished jobs go, sequences carry on, the access history stays.</summary>
public sealed class FeedRetentionTests : AccessTestBase
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Notifications:Retention"] = "30.00:00:00",
        ["Notifications:JobRetention"] = "7.00:00:00",
        ["Notifications:PruneBatchSize"] = "2",
    };

    private async Task<long> CountAsync(string sql, object? args = null)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return await connection.ExecuteScalarAsync<long>(sql, args);
    }

    [Fact]
    public async Task Notifications_past_retention_are_pruned_in_batches_and_sequences_continue()
    {
        await AddProfessionalsAsync(Physician);
        var (person, patient) = await ActivePatientAsync();
        await GrantAsync(patient, Physician);
        using var pro = await ProAsync(Physician);
        var id = await FindOkAsync(pro, person);
        for (var i = 0; i < 3; i++)
        {
            await ProListAsync(pro, id);
        }

        var old = await NotificationsAsync(patient);
        var lastOld = old.Max(n => n.GetProperty("sequence").GetInt64());
        var history = await CountAsync("select count(*) from access_history where space_id = @id", new { id = id.ToString() });
        history.Should().BeGreaterThan(0);
        (await CountAsync("select count(*) from jobs where status = 'done'")).Should().BeGreaterThan(0);

        Silo.Clock.Advance(TimeSpan.FromDays(20));
        (await Silo.Get<FeedRetention>().PruneOnceAsync()).Notifications.Should().Be(0, "nothing is older than 30 days yet");

        pro.Dispose();
        patient.Dispose();
        patient = await LoginAsync(person.Email!); // sessions last an hour
        var later = await ProAsync(Physician);
        await ProListAsync(later, id);
        Silo.Clock.Advance(TimeSpan.FromDays(11));
        patient.Dispose();
        patient = await LoginAsync(person.Email!);
        var pruned = await Silo.Get<FeedRetention>().PruneOnceAsync();
        pruned.Notifications.Should().Be(old.Count, "every notification older than 30 days, across batches of 2");
        pruned.Jobs.Should().BeGreaterThan(0, "finished jobs older than 7 days go too");

        var kept = await NotificationsAsync(patient);
        kept.Should().NotBeEmpty().And.OnlyContain(n => n.GetProperty("sequence").GetInt64() > lastOld);
        later.Dispose();
        later = await ProAsync(Physician); // tokens are short-lived too
        await ProListAsync(later, id);
        var next = (await NotificationsAsync(patient)).Max(n => n.GetProperty("sequence").GetInt64());
        next.Should().BeGreaterThan(kept.Max(n => n.GetProperty("sequence").GetInt64()), "sequences never restart after a prune");
        (await CountAsync("select count(*) from access_history where space_id = @id", new { id = id.ToString() })).Should().BeGreaterThan(history, "the access history is not the feed");
        (await patient.GetFromJsonAsync<JsonElement>("/api/me/access-history/verify")).GetProperty("intact").GetBoolean().Should().BeTrue();
        later.Dispose();
    }
}
