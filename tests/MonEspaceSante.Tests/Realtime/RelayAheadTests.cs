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
        // The patient's earlier notifications (the login's new device) may come first, late by
        // the live stream; the access must arrive while the slow transaction is still open.
        string kind;
        do
        {
            var push = await hub.NextAsync(NotificationHub.NotificationMethod, TimeSpan.FromSeconds(10));
            kind = push.Argument!.Value.GetProperty("kind").GetString()!;
            kind.Should().Match(k => k.StartsWith("access.", StringComparison.Ordinal) || k.StartsWith("security.", StringComparison.Ordinal), "only the login's and the access's notifications exist");
        }
        while (!kind.StartsWith("access.", StringComparison.Ordinal));
        await transaction.RollbackAsync();
    }
}
