using System.Net.Http.Json;
using System.Text.Json;
using MonEspaceSante.Api.Realtime;
using MonEspaceSante.Tests.Infrastructure;
using Npgsql;

namespace MonEspaceSante.Tests.Realtime;

public sealed class RelayAheadTests : AccessTestBase
{
    [Fact]
    public async Task A_notification_is_pushed_while_an_older_transaction_is_still_open()
    {
        await AddProfessionalsAsync(Physician);
        var (person, patient) = await ActivePatientAsync();
        await GrantAsync(patient, Physician);
        var ticket = await (await patient.PostAsync("/api/realtime/tickets", null)).Content.ReadFromJsonAsync<JsonElement>();
        await using var hub = await HubClient.ConnectAsync(Silo.Server, ticket.GetProperty("ticket").GetString()!);

        // A slow writer elsewhere: its transaction began first and holds the feed's settled point.
        await using var slow = new NpgsqlConnection(ConnectionString);
        await slow.OpenAsync();
        await using var transaction = await slow.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand(
            "insert into notifications (recipient_id, seq, id, kind, payload, created_at_ms) values ('someone-else', 1, gen_random_uuid(), 'test', '{}', 0)", slow, transaction))
        {
            await insert.ExecuteNonQueryAsync();
        }

        var pro = await ProAsync(Physician);
        await FindOkAsync(pro, person);
        var push = await hub.NextAsync(NotificationHub.NotificationMethod, TimeSpan.FromSeconds(10));
        push.Argument!.Value.GetProperty("kind").GetString().Should().StartWith("access.");
        await transaction.RollbackAsync();
    }
}
