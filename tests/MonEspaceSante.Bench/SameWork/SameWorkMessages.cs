using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace MonEspaceSante.Bench.SameWork;

/// <summary>
/// A professional's message with one attachment to another professional, doing what the rules
/// require and nothing else: find the sender's and the recipient's mailboxes, encrypt and hash
/// the attachment into the store under a key of the message's own (wrapped, kept in the row),
/// then in one transaction the sender's hourly count (over the limit, nothing is kept), each
/// mailbox's own copy (the sender's in Sent, the recipient's in Inbox) and the recipient's
/// notification. No access-history entry: a message between professionals opens no patient's
/// space, and the platform writes none for it either.
/// </summary>
internal sealed class SameWorkMessages(NpgsqlDataSource dataSource, SameWorkKeys keys, SameWorkContent content)
{
    /// <summary>The platform's default limit of a professional's messages an hour.</summary>
    private const long PerHour = 1000;

    public async Task<IResult> SendAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (SameWorkMultipart.Open(request) is not { } reader)
        {
            return Results.BadRequest();
        }

        using var message = await SameWorkMultipart.ReadJsonAsync(reader, cancellationToken);
        var root = message?.RootElement ?? default;
        var to = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("to", out var t) && t.ValueKind == JsonValueKind.Array && t.GetArrayLength() == 1 && t[0].ValueKind == JsonValueKind.String ? t[0].GetString() : null;
        var rpps = request.Headers["X-Acting-For"].ToString();
        if (to is null || root.Text("subject") is not { } subject || root.Text("body") is not { } body || rpps.Length == 0)
        {
            return Results.BadRequest();
        }

        // Both mailboxes in one round trip: the sender's name and address go into the copies.
        var senderId = "professional:" + rpps;
        (string Id, string Address, string Name)? sender = null, recipient = null;
        await using (var find = dataSource.CreateCommand("select mailbox_id, address, display_name from same_mailboxes where mailbox_id = $1 or address = $2"))
        {
            find.Parameters.AddWithValue(senderId);
            find.Parameters.AddWithValue(to);
            await using var found = await find.ExecuteReaderAsync(cancellationToken);
            while (await found.ReadAsync(cancellationToken))
            {
                var mailbox = (found.GetString(0), found.GetString(1), found.GetString(2));
                if (mailbox.Item1 == senderId)
                {
                    sender = mailbox;
                }

                if (mailbox.Item2 == to)
                {
                    recipient = mailbox;
                }
            }
        }

        if (sender is not { } from || recipient is not { } into || into.Id == from.Id)
        {
            return Results.NotFound();
        }

        if (await SameWorkMultipart.NextFileAsync(reader, cancellationToken) is not { } file)
        {
            return Results.BadRequest();
        }

        var messageId = Guid.NewGuid().ToString();
        var dataKey = RandomNumberGenerator.GetBytes(32);
        var contentKey = $"messages/{messageId}/{Guid.NewGuid():N}";
        var (size, sha256) = await content.StoreAsync(file.Body, dataKey, contentKey, cancellationToken);
        if (size == 0)
        {
            return Results.BadRequest();
        }

        var attachments = JsonSerializer.Serialize(new[]
        {
            new Dictionary<string, object?>
            {
                ["fileName"] = file.FileName, ["format"] = "Pdf", ["size"] = size, ["sha256"] = sha256, ["contentKey"] = contentKey,
                ["wrappedKey"] = keys.Wrap("message:" + messageId, dataKey),
            },
        });
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        try
        {
            if (!await CommitAsync(from, into, messageId, subject, body, attachments, now, cancellationToken))
            {
                content.Delete(contentKey);
                return Results.StatusCode(StatusCodes.Status429TooManyRequests);
            }
        }
        catch
        {
            content.Delete(contentKey);
            throw;
        }

        return TypedResults.Created($"{SameWorkServer.MessagesRoute}/{messageId}", new Sent(messageId, DateTimeOffset.FromUnixTimeMilliseconds(now), [into.Address]));
    }

    /// <summary>One round trip for the rows and one for the commit; false (rolled back) over the hourly limit.</summary>
    private async Task<bool> CommitAsync((string Id, string Address, string Name) from, (string Id, string Address, string Name) into, string messageId,
        string subject, string body, string attachments, long now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        long sent;
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            batch.BatchCommands.Add(SameWorkSql.Command(
                "insert into same_message_rate (sender, hour, sent) values ($1, $2, 1) on conflict (sender, hour) do update set sent = same_message_rate.sent + 1 returning sent",
                from.Id, now / 3_600_000));
            var search = $"{subject} {from.Name} {from.Address} {into.Name} {into.Address}".ToUpperInvariant();
            batch.BatchCommands.Add(SameWorkSql.Command(
                "insert into same_messages (mailbox_id, message_id, conversation_id, folder, archived, sender, sender_name, to_addresses, subject, body, attachments, search_text, sent_at_ms, read_at_ms) " +
                "values ($1, $3, $4, 'Sent', 0, $5, $6, $7, $8, $9, $10, $11, $12, $12), ($2, $3, $4, 'Inbox', 0, $5, $6, $7, $8, $9, $10, $11, $12, null)",
                from.Id, into.Id, messageId, Guid.NewGuid().ToString(), from.Address, from.Name, into.Address, subject, body, attachments, search, now));
            // "A new message from X": never the subject or the text, which may be health content.
            batch.BatchCommands.Add(SameWorkFeed.Notify(into.Id, "message.received", JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["messageId"] = messageId,
                ["from"] = from.Name,
                ["fromAddress"] = from.Address,
            }), now));
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            sent = reader.GetInt64(0);
            // Reads the copies' and the notification's outcome, so a failure shows before the commit.
            while (await reader.NextResultAsync(cancellationToken))
            {
            }
        }

        if (sent > PerHour)
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private sealed record Sent(string MessageId, DateTimeOffset SentAt, string[] Recipients);
}
