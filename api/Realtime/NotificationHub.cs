using Microsoft.AspNetCore.SignalR;
using MonEspaceSante.Api.Security;
using MonEspaceSante.Notifications;
using MonEspaceSante.Storage;

namespace MonEspaceSante.Api.Realtime;

/// <summary>
/// Live notifications for a patient or a professional, who each hear only their own feed.
/// The server pushes <c>notification</c> (a feed entry: id, sequence, kind, time, payload);
/// a client that (re)connects calls <see cref="Resume"/> with the last sequence it holds and
/// gets what it missed from the feed. Delivery is at least once: clients de-duplicate by id.
/// </summary>
public sealed class NotificationHub(LiveFeed live, NotificationRelay relay, IDatabase database) : Hub
{
    public const string Path = "/hubs/notifications";
    public const string NotificationMethod = "notification";

    /// <summary>Told to a client whose connection fell behind: resume from the feed.</summary>
    public const string ResyncMethod = "resync";

    private const int MaxResume = 500;

    public override async Task OnConnectedAsync()
    {
        var recipient = FeedRecipients.Of(Context.User!.ToCaller()) ?? throw new HubException("Not a patient or a professional.");
        // Before any Resume is served (SignalR dispatches none until this returns): see SubscribeAsync.
        LiveSubscription subscription;
        try
        {
            subscription = await relay.SubscribeAsync(recipient, Context.ConnectionAborted);
        }
        catch (OperationCanceledException) when (Context.ConnectionAborted.IsCancellationRequested)
        {
            // Gone while the relay started: nothing to deliver, nothing worth an error in the log.
            return;
        }

        Context.Items[typeof(LiveSubscription)] = subscription;
        var client = Clients.Caller;
        var aborted = Context.ConnectionAborted;
        // One pump per connection: its writes wait for its own client only.
        _ = Task.Run(() => PumpAsync(subscription, client, aborted), CancellationToken.None);
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items.TryGetValue(typeof(LiveSubscription), out var item) && item is LiveSubscription subscription)
        {
            live.Unsubscribe(subscription);
        }

        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>Everything after <paramref name="afterSequence"/> in the caller's feed (at most 500; call again with the last one for more).</summary>
    public async Task<IReadOnlyList<FeedEntry>> Resume(long afterSequence)
    {
        if (afterSequence < 0)
        {
            throw new HubException("afterSequence must be >= 0.");
        }

        var recipient = FeedRecipients.Of(Context.User!.ToCaller())!;
        return await FeedWriter.ReadAsync(database, recipient, afterSequence, MaxResume, Context.ConnectionAborted);
    }

    private static async Task PumpAsync(LiveSubscription subscription, ISingleClientProxy client, CancellationToken aborted)
    {
        try
        {
            await foreach (var entry in subscription.Reader.ReadAllAsync(aborted))
            {
                await client.SendAsync(NotificationMethod, entry, aborted);
                if (subscription.TakeLagging())
                {
                    // Some were dropped while this client was slow: it fetches them from the feed.
                    await client.SendAsync(ResyncMethod, aborted);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
