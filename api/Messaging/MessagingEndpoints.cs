using Orleans;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using MonEspaceSante.Api.OpenApi;
using MonEspaceSante.Api.Security;
using MonEspaceSante.Errors;
using MonEspaceSante.Identity;
using MonEspaceSante.Messaging;
using MonEspaceSante.Spaces;

namespace MonEspaceSante.Api.Messaging;

/// <summary>
/// Secure messaging: the same mailbox routes for patients (<c>/api/me/mailbox</c>) and for
/// professionals (<c>/api/pro/mailbox</c>); the mailbox grain enforces who may write to whom.
/// Rules: docs/messaging.md.
/// </summary>
public static class MessagingEndpoints
{
    public static IEndpointRouteBuilder MapMessagingApi(this IEndpointRouteBuilder routes)
    {
        var patient = routes.MapGroup("/api/me/mailbox").WithTags("Messaging").RequireAuthorization(Roles.Patient);
        MapMailbox(patient, user => (IGrainFactory grains) => grains.GetPatientMailbox(user.SpaceId()), "/api/me/mailbox", "My");
        patient.MapPost("/messages/{id:guid}/attachments/{index:int}/save", (Guid id, int index, SaveAttachmentRequest request, ClaimsPrincipal user, IGrainFactory grains, MailboxPost post, HttpContext http) =>
            post.SaveAttachmentAsync(grains.GetPatientMailbox(user.SpaceId()), user.ToCaller(), id, index, request, http.RequestAborted)).WithName("SaveMyAttachmentToDocuments")
                .WithSummary("Save a message's attachment to my documents").ProducesProblems(400, 404, 409, 413, 415);

        var professional = routes.MapGroup("/api/pro/mailbox").WithTags("Messaging").RequireAuthorization(Roles.Professional);
        MapMailbox(professional, user => (IGrainFactory grains) => grains.GetProfessionalMailbox(user.Rpps() ?? throw new DomainException(DomainError.Forbidden)), "/api/pro/mailbox", "Pro");

        // A colleague's address, from the directory (their mailbox is opened on first use).
        routes.MapGet("/api/pro/mailboxes/{rpps}", async (string rpps, IGrainFactory grains) =>
        {
            var number = Rpps.TryParse(rpps, out var parsed) ? parsed : throw new DomainException(DomainError.NotFound);
            var mailbox = await grains.GetProfessionalMailbox(number).GetAsync(Caller.System);
            return TypedResults.Ok(new MailboxAddress(mailbox.Address, mailbox.DisplayName));
        }).WithTags("Messaging").RequireAuthorization(Roles.Professional).WithName("FindProfessionalMailbox")
            .WithSummary("Find a colleague's messaging address by RPPS").ProducesProblems(404);

        return routes;
    }

    private static void MapMailbox(RouteGroupBuilder group, Func<ClaimsPrincipal, Func<IGrainFactory, IMailboxGrain>> mailboxOf, string prefix, string name)
    {
        group.MapGet("/", (ClaimsPrincipal user, IGrainFactory grains) => mailboxOf(user)(grains).GetAsync(user.ToCaller())).WithName($"Get{name}Mailbox")
            .WithSummary("Get my mailbox: its address and unread count").ProducesProblems(404, 409);

        group.MapGet("/messages", (ClaimsPrincipal user, IGrainFactory grains, MailboxFolder? folder, bool? unread, string? q, string? correspondent, int? offset, int? limit) =>
            mailboxOf(user)(grains).ListAsync(user.ToCaller(), new MessageFilter(folder ?? MailboxFolder.Inbox, unread, q, correspondent, offset ?? 0, limit ?? 50)))
            .WithName($"List{name}Messages").WithSummary("List my messages by folder, unread flag or search, paged").ProducesProblems(400, 404);

        group.MapPost("/messages", async Task<Created<SendResult>> (HttpContext http, ClaimsPrincipal user, IGrainFactory grains, MailboxPost post, IOptions<MessagingOptions> options) =>
        {
            await using var received = await MessageReader.ReadAsync(http, options.Value);
            var result = await post.SendAsync(mailboxOf(user)(grains), user.ToCaller(), received.Message, received.Attachments, http.RequestAborted);
            return TypedResults.Created($"{prefix}/messages/{result.MessageId}", result);
        }).WithName($"Send{name}Message")
            .WithSummary("Send a message (JSON, or multipart with attachments)")
            .ProducesProblems(400, 403, 404, 409, 413, 422, 429).Accepts<OutgoingMessage>("application/json", "multipart/form-data");

        group.MapGet("/messages/{id:guid}", (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
            mailboxOf(user)(grains).GetMessageAsync(user.ToCaller(), id)).WithName($"Read{name}Message")
                .WithSummary("Read a message").ProducesProblems(404);

        group.MapPost("/messages/{id:guid}/read", (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
            mailboxOf(user)(grains).SetReadAsync(user.ToCaller(), id, read: true)).WithName($"Mark{name}MessageRead")
                .WithSummary("Mark a message read").ProducesProblems(404, 409);

        group.MapPost("/messages/{id:guid}/unread", (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
            mailboxOf(user)(grains).SetReadAsync(user.ToCaller(), id, read: false)).WithName($"Mark{name}MessageUnread")
                .WithSummary("Mark a message unread").ProducesProblems(404, 409);

        group.MapPost("/messages/{id:guid}/archive", (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
            mailboxOf(user)(grains).SetArchivedAsync(user.ToCaller(), id, archived: true)).WithName($"Archive{name}Message")
                .WithSummary("Move a message to the archive").ProducesProblems(404, 409);

        group.MapPost("/messages/{id:guid}/unarchive", (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
            mailboxOf(user)(grains).SetArchivedAsync(user.ToCaller(), id, archived: false)).WithName($"Unarchive{name}Message")
                .WithSummary("Move a message back out of the archive").ProducesProblems(404, 409);

        group.MapDelete("/messages/{id:guid}", async Task<NoContent> (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            await mailboxOf(user)(grains).DeleteAsync(user.ToCaller(), id);
            return TypedResults.NoContent();
        }).WithName($"Delete{name}Message").WithSummary("Delete a message from my mailbox").ProducesProblems(404, 409);

        group.MapGet("/messages/{id:guid}/attachments/{index:int}", async (Guid id, int index, ClaimsPrincipal user, IGrainFactory grains, MailboxPost post, HttpContext http) =>
        {
            var opened = await post.OpenAttachmentAsync(mailboxOf(user)(grains), user.ToCaller(), id, index, http.RequestAborted);
            return TypedResults.Stream(opened.Content, opened.Attachment.ContentType, opened.Attachment.FileName, enableRangeProcessing: true);
        }).WithName($"Download{name}Attachment")
            .WithSummary("Download a message's attachment (byte ranges supported)").ProducesProblems(404, 416, 500)
            .ProducesContent(ranges: true, ContentResponses.DocumentTypes);
    }
}

public sealed record MailboxAddress(string Address, string DisplayName);
