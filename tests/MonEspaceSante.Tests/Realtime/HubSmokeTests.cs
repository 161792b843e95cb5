using System.Net.Http.Json;
using System.Text.Json;
using MonEspaceSante.Api.Realtime;
using MonEspaceSante.Tests.Infrastructure;
using MonEspaceSante.Testing;

namespace MonEspaceSante.Tests.Realtime;

public sealed class HubSmokeTests : AccessTestBase
{
    [Fact]
    public async Task A_patient_hears_a_professional_access_live_through_the_hub()
    {
        await AddProfessionalsAsync(Physician);
        var (person, patient) = await ActivePatientAsync();
        await GrantAsync(patient, Physician);
        var ticket = await (await patient.PostAsync("/api/realtime/tickets", null)).Content.ReadFromJsonAsync<JsonElement>();
        var socket = await Silo.Server.CreateWebSocketClient().ConnectAsync(
            new Uri(Silo.Server.BaseAddress, NotificationHub.Path + "?access_token=" + Uri.EscapeDataString(ticket.GetProperty("ticket").GetString()!)), CancellationToken.None);
        await using var hub = await SignalRJsonClient.StartAsync(socket);
        var pro = await ProAsync(Physician);
        var id = await FindOkAsync(pro, person);
        await ProListAsync(pro, id);
        var push = await hub.NextAsync(NotificationHub.NotificationMethod, TimeSpan.FromSeconds(10));
        push.Arguments[0].GetProperty("kind").GetString().Should().StartWith("access.");
        var resumed = await hub.InvokeAsync("Resume", [0L]);
        resumed.GetArrayLength().Should().BeGreaterThan(0);
    }
}
