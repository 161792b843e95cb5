using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using MonEspaceSante.Api.OpenApi;
using MonEspaceSante.Api.Patients;
using MonEspaceSante.Api.Security;
using MonEspaceSante.Identity;
using MonEspaceSante.Notifications;
using MonEspaceSante.Storage;
using MonEspaceSante.Errors;

namespace MonEspaceSante.Api.Realtime;

/// <summary>
/// Live notifications: tickets for the hub and streams, the SignalR hub, a server-sent-events
/// stream of the same feed for simple clients, and professionals' feed page (patients have
/// <c>/api/me/notifications</c>).
/// </summary>
public static class RealtimeEndpoints
{
    public const string ClientPolicy = "live-notifications";

    public static IEndpointRouteBuilder MapRealtimeApi(this IEndpointRouteBuilder routes)
    {
        // Live notifications are always the signed-in person's own, even when the request names a child's space.
        routes.MapPost("/api/realtime/tickets", (ClaimsPrincipal user, RealtimeTickets tickets) =>
            TypedResults.Ok(tickets.Issue(user.ActsAsGuardian() ? Caller.Patient(user.OwnSpaceId()) : user.ToCaller())))
            .RequireAuthorization(new AuthorizeAttribute { Roles = $"{Roles.Patient},{Roles.Professional}" })
            .WithTags("Live notifications").WithName("IssueRealtimeTicket")
            .WithSummary("Get a short-lived ticket for the live-notification hub and stream");

        routes.MapHub<NotificationHub>(NotificationHub.Path).RequireAuthorization(ClientPolicy)
            .WithSummary("Live notifications over SignalR (WebSockets, server-sent events or long polling), with a ticket");

        routes.MapGet("/api/realtime/stream", (HttpContext http, ClaimsPrincipal user, IDatabase database, LiveFeed live, NotificationRelay relay, IOptions<RealtimeOptions> options, long? after) =>
            StreamAsync(http, FeedRecipients.Of(user.ToCaller())!, database, live, relay, options.Value, after))
            .RequireAuthorization(ClientPolicy).WithTags("Live notifications").WithName("StreamNotifications")
            .WithSummary("Stream my notifications as server-sent events, resuming after Last-Event-ID").ProducesProblems(400)
            .ProducesContent(ranges: false, "text/event-stream");

        routes.MapGet("/api/pro/notifications", async Task<Results<Ok<FeedPage>, ProblemHttpResult>> (ClaimsPrincipal user, IDatabase database, long? after, int? limit) =>
        {
            if (after < 0 || limit is < 1 or > 500)
            {
                throw new DomainException(DomainError.InvalidRequest, "after must be >= 0 and limit between 1 and 500.");
            }

            var items = await FeedWriter.ReadAsync(database, FeedRecipients.Of(user.ToCaller())!, after ?? 0, limit ?? 100);
            return TypedResults.Ok(new FeedPage(items, items.Count > 0 ? items[^1].Sequence : after));
        }).RequireAuthorization(Roles.Professional).WithTags("Professionals").WithName("GetProfessionalNotifications")
            .WithSummary("Read my notification feed after a sequence number").ProducesProblems(400);

        return routes;
    }

    /// <summary>
    /// Server-sent events: what the feed holds after <c>Last-Event-ID</c> (or <c>after</c>), then
    /// live notifications as the relay finds them. Event id = sequence, event type = kind.
    /// </summary>
    private static async Task StreamAsync(HttpContext http, string recipient, IDatabase database, LiveFeed live, NotificationRelay relay, RealtimeOptions options, long? after)
    {
        var lastSeen = long.TryParse(http.Request.Headers["Last-Event-ID"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var header) ? header : after ?? 0;
        if (lastSeen < 0)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var aborted = http.RequestAborted;
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        LiveSubscription subscription;
        try
        {
            // Before the catch-up read: see NotificationRelay.SubscribeAsync.
            subscription = await relay.SubscribeAsync(recipient, aborted);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            lastSeen = await CatchUpAsync(http, database, recipient, lastSeen, aborted);
            using var heartbeat = new PeriodicTimer(options.StreamHeartbeat);
            var beat = heartbeat.WaitForNextTickAsync(aborted).AsTask();
            while (!aborted.IsCancellationRequested)
            {
                var next = subscription.Reader.WaitToReadAsync(aborted).AsTask();
                if (await Task.WhenAny(next, beat) == beat)
                {
                    await http.Response.WriteAsync(": keep-alive\n\n", aborted);
                    await http.Response.Body.FlushAsync(aborted);
                    beat = heartbeat.WaitForNextTickAsync(aborted).AsTask();
                    continue;
                }

                if (!await next)
                {
                    return;
                }

                if (subscription.TakeLagging())
                {
                    lastSeen = await CatchUpAsync(http, database, recipient, lastSeen, aborted);
                }

                while (subscription.Reader.TryRead(out var entry))
                {
                    // Live and caught-up entries may overlap: a sequence already sent is skipped.
                    if (entry.Sequence <= lastSeen)
                    {
                        continue;
                    }

                    if (entry.Sequence > lastSeen + 1)
                    {
                        // The relay goes by commit order, which two writers to one feed can make
                        // differ from sequence order. Every smaller sequence has committed (each
                        // took the feed's head lock after the one before), so the feed has them:
                        // skipping ahead would lose them, since the event id is where clients resume.
                        lastSeen = await CatchUpAsync(http, database, recipient, lastSeen, aborted);
                        continue;
                    }

                    await WriteAsync(http, entry, aborted);
                    lastSeen = entry.Sequence;
                }

                await http.Response.Body.FlushAsync(aborted);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            live.Unsubscribe(subscription);
        }
    }

    private static async Task<long> CatchUpAsync(HttpContext http, IDatabase database, string recipient, long after, CancellationToken cancellationToken)
    {
        while (true)
        {
            var page = await FeedWriter.ReadAsync(database, recipient, after, 500, cancellationToken);
            foreach (var entry in page)
            {
                await WriteAsync(http, entry, cancellationToken);
                after = entry.Sequence;
            }

            await http.Response.Body.FlushAsync(cancellationToken);
            if (page.Count < 500)
            {
                return after;
            }
        }
    }

    private static async Task WriteAsync(HttpContext http, FeedEntry entry, CancellationToken cancellationToken)
    {
        var data = JsonSerializer.Serialize(new { id = entry.Id, sequence = entry.Sequence, kind = entry.Kind, at = entry.At, payload = JsonDocument.Parse(entry.PayloadJson).RootElement });
        await http.Response.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"id: {entry.Sequence}\nevent: {entry.Kind}\ndata: {data}\n\n"), cancellationToken);
    }
}
