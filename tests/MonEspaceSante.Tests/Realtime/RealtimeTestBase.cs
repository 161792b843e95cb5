using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MonEspaceSante.Api.Realtime;
using MonEspaceSante.Notifications;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Realtime;

/// <summary>A notification as a client holds it: enough to de-duplicate (id) and to resume (sequence).</summary>
public sealed record Seen(Guid Id, long Sequence, string Kind)
{
    /// <summary>From a hub push's argument, a <c>Resume</c> result item or a feed page item (the same JSON shape).</summary>
    public static Seen From(JsonElement entry) =>
        new(entry.GetProperty("id").GetGuid(), entry.GetProperty("sequence").GetInt64(), entry.GetProperty("kind").GetString()!);
}

/// <summary>Tickets, hub connections and feed reads, in process or against real silo processes.</summary>
public abstract class RealtimeTestBase : AccessTestBase
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    protected static async Task<string> TicketAsync(HttpClient client)
    {
        using var response = await client.PostAsync("/api/realtime/tickets", null);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticket").GetString()!;
    }

    /// <summary>A hub connection to the in-process silo, with a fresh ticket of <paramref name="client"/>'s caller.</summary>
    protected async Task<HubClient> HubAsync(HttpClient client)
    {
        var hub = await HubClient.ConnectAsync(Silo.Server, await TicketAsync(client));
        // As a real client does: SignalR answers the handshake before the hub's OnConnectedAsync
        // has subscribed the connection, and dispatches the first invocation only after it. From
        // the first Resume's answer on, every new notification is pushed (a push may come earlier).
        await hub.ResumeAsync(long.MaxValue);
        return hub;
    }

    protected static Uri HubUri(Uri baseAddress, string? ticket) =>
        new(baseAddress, NotificationHub.Path + (ticket is null ? "" : "?access_token=" + Uri.EscapeDataString(ticket)));

    /// <summary>The whole feed of the client's caller, page by page (patients' or professionals' endpoint).</summary>
    protected static async Task<List<Seen>> FeedAsync(HttpClient client, string path = "/api/me/notifications")
    {
        var all = new List<Seen>();
        long after = 0;
        while (true)
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"{path}?after={after}&limit=500");
            var items = page.GetProperty("items").EnumerateArray().Select(Seen.From).ToList();
            all.AddRange(items);
            if (items.Count == 0)
            {
                return all;
            }

            after = items[^1].Sequence;
        }
    }

    /// <summary>Everything after <paramref name="after"/> through the hub's <c>Resume</c>, paging until a page is empty.</summary>
    protected static async Task<List<Seen>> ResumeAllAsync(HubClient hub, long after)
    {
        var all = new List<Seen>();
        while (true)
        {
            var page = (await hub.ResumeAsync(after)).Select(Seen.From).ToList();
            if (page.Count == 0)
            {
                return all;
            }

            all.AddRange(page);
            after = page[^1].Sequence;
        }
    }

    /// <summary>The next <c>notification</c> push.</summary>
    protected static async Task<Seen> NextNotificationAsync(HubClient hub) =>
        Seen.From((await hub.NextAsync(NotificationHub.NotificationMethod, Patience)).Argument!.Value);

    /// <summary>The pushes up to and including <paramref name="last"/>, in the order they came.</summary>
    protected static async Task<List<Seen>> ReceiveUntilAsync(HubClient hub, Seen last)
    {
        var received = new List<Seen>();
        while (received.Count == 0 || received[^1].Id != last.Id)
        {
            received.Add(await NextNotificationAsync(hub));
        }

        return received;
    }

    /// <summary>
    /// <paramref name="wanted"/> as the relay reads them (in commit order, with their position),
    /// once readable: the relay reads only below the oldest transaction running anywhere in the
    /// cluster, which other tests' databases hold back for a moment.
    /// </summary>
    protected async Task<List<StreamedNotification>> AsRelayReadsAsync(IReadOnlyCollection<Seen> wanted)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            var read = (await Silo.Get<FeedStream>().ReadAfterAsync(FeedPosition.Start, 10_000, timeout.Token)).Where(n => wanted.Any(w => w.Id == n.Id)).ToList();
            if (read.Count == wanted.Count)
            {
                return read;
            }

            await Task.Delay(20, timeout.Token);
        }
    }

    /// <summary>
    /// Real silo processes check tokens and tickets against the real clock: the in-process silo
    /// that issues them must read the same time.
    /// </summary>
    protected void AlignClockWithRealTime() => Silo.Clock.Advance(DateTimeOffset.UtcNow - Silo.Clock.GetUtcNow());

    /// <summary>The session token a logged-in patient's client carries.</summary>
    protected static string BearerOf(HttpClient client) => client.DefaultRequestHeaders.Authorization!.Parameter!;
}
