using Microsoft.Extensions.DependencyInjection;
using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MonEspaceSante.Access;
using MonEspaceSante.Documents;
using MonEspaceSante.Jobs;
using MonEspaceSante.Mail;
using MonEspaceSante.Messaging;
using MonEspaceSante.Runtime;
using MonEspaceSante.Spaces;
using MonEspaceSante.Storage;

namespace MonEspaceSante.Notifications;

/// <summary>
/// Turns patients' notifications into e-mail alerts, per their preferences: new documents and
/// new messages (each can be turned off) and emergency access (always). It reads the feed in
/// commit order behind a durable cursor and, in the transaction that moves the cursor, queues
/// the e-mails as jobs (delivered with retries by <see cref="SmtpMailSender"/>): a crash
/// between the two loses and repeats nothing. The cursor's row lock lets one silo dispatch at
/// a time; the others skip the pass. Alerts of one pass are grouped per patient and kind, so a
/// lab sending ten results sends one e-mail. The other security alerts (new device, password or
/// e-mail change) are queued by the grain call itself, which knows the addresses involved.
/// </summary>
public sealed class AlertDispatcher(
    IDatabase database,
    MailQueue mail,
    [FromKeyedServices(PlatformClock.Key)] TimeProvider time,
    IOptions<AlertOptions> options,
    ILogger<AlertDispatcher> logger) : PeriodicService(logger)
{
    public const string CursorName = "email-alerts";

    private enum Topic
    {
        Documents,
        Messages,
        Emergency,
    }

    /// <summary>
    /// One pass over what the feed holds past the cursor (one batch): the e-mails queued, and
    /// whether the cursor moved (false when there was nothing new, when the cursor was just
    /// placed, or when another silo holds it).
    /// </summary>
    private async Task<(int Queued, bool Moved)> DispatchOnceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await database.BeginAsync(connection, cancellationToken).ConfigureAwait(false);
        var cursor = await connection.QuerySingleOrDefaultAsync<CursorRow>(new CommandDefinition(
            $"select tx as Tx, global_id as GlobalId from feed_cursors where name = @name {database.Dialect.SkipLocked}",
            new { name = CursorName }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (cursor is null)
        {
            return await StartCursorAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        }

        var batch = await FeedStream.ReadAfterAsync(connection, transaction, database.Provider, new FeedPosition(cursor.Tx, cursor.GlobalId), options.Value.AlertBatchSize, cancellationToken).ConfigureAwait(false);
        if (batch.Count == 0)
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return (0, false);
        }

        // Grouped per patient and topic, in feed order; the first notification's id names the job.
        var groups = batch
            .Select(n => (Notification: n, Topic: TopicOf(n)))
            .Where(x => x.Topic is not null && Guid.TryParse(x.Notification.RecipientId, out _))
            .GroupBy(x => (x.Notification.RecipientId, Topic: x.Topic!.Value))
            .ToList();
        var queued = 0;
        if (groups.Count > 0)
        {
            var spaces = await LoadSpacesAsync(connection, transaction, groups.Select(g => g.Key.RecipientId).Distinct().ToList(), cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            foreach (var group in groups)
            {
                if (!spaces.TryGetValue(group.Key.RecipientId, out var space) || space is not { Status: SpaceStatus.Active, Email: { } email })
                {
                    continue;
                }

                var first = group.First().Notification;
                EmailMessage? message = group.Key.Topic switch
                {
                    Topic.Documents when !space.DocumentAlertsOff => AccountMails.NewDocuments(email, group.Count()),
                    Topic.Messages when !space.MessageAlertsOff => AccountMails.NewMessages(email, group.Count()),
                    Topic.Emergency => AccountMails.EmergencyAccess(email, first.At),
                    _ => null,
                };
                if (message is not null)
                {
                    await JobQueue.InsertAsync(connection, transaction, mail.Job(message, now, "alert:" + first.Id.ToString("N"))).ConfigureAwait(false);
                    queued++;
                }
            }
        }

        var last = batch[^1].Position;
        await connection.ExecuteAsync(new CommandDefinition(
            "update feed_cursors set tx = @tx, global_id = @globalId where name = @name",
            new { name = CursorName, tx = last.Tx, globalId = last.GlobalId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (queued, true);
    }

    /// <summary>Dispatches until the feed has nothing more past the cursor; returns the e-mails queued.</summary>
    public async Task<int> DispatchAllAsync(CancellationToken cancellationToken = default)
    {
        var total = 0;
        while (true)
        {
            var (queued, moved) = await DispatchOnceAsync(cancellationToken).ConfigureAwait(false);
            total += queued;
            if (!moved)
            {
                return total;
            }
        }
    }

    protected override bool Enabled => options.Value.AlertsEnabled;

    protected override TimeSpan Interval => options.Value.AlertInterval;

    protected override Task RunPassAsync(CancellationToken cancellationToken) => DispatchAllAsync(cancellationToken);

    private static Topic? TopicOf(StreamedNotification notification) => notification.Kind switch
    {
        // The patient's own uploads are not news to them.
        SpaceDocuments.AddedKind when !AddedByPatient(notification.PayloadJson) => Topic.Documents,
        MailboxGrain.ReceivedKind => Topic.Messages,
        AccessGate.EmergencyKind => Topic.Emergency,
        _ => null,
    };

    private static bool AddedByPatient(string payload)
    {
        using var document = JsonDocument.Parse(payload);
        return document.RootElement.TryGetProperty("authorKind", out var kind) && kind.GetString() == nameof(AuthorKind.Patient);
    }

    /// <summary>
    /// A first start begins at the head of the feed: a deployment that adds alerts does not
    /// e-mail its whole history.
    /// </summary>
    private async Task<(int Queued, bool Moved)> StartCursorAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var head = await FeedStream.HeadAsync(connection, transaction, database.Provider, cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "insert into feed_cursors (name, tx, global_id) values (@name, @tx, @globalId) on conflict (name) do nothing",
            new { name = CursorName, tx = head.Tx, globalId = head.GlobalId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        // Inserted now, or held by another silo (which is dispatching): either way, nothing more this pass.
        return (0, false);
    }

    private async Task<Dictionary<string, PatientSpaceState>> LoadSpacesAsync(DbConnection connection, DbTransaction transaction, List<string> ids, CancellationToken cancellationToken)
    {
        var filter = database.Provider == DatabaseProvider.Postgres ? "grain_id = any(@ids)" : "grain_id in @ids";
        var rows = await connection.QueryAsync<(string Id, string State)>(new CommandDefinition(
            $"select grain_id, cast(state as text) from grains where grain_type = @type and {filter}",
            new { type = PatientSpaceGrain.GrainType, ids = ids.ToArray() }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Id, r => JsonSerializer.Deserialize(r.State, GrainJsonContext.Default.PatientSpaceState)!, StringComparer.Ordinal);
    }

    private sealed class CursorRow
    {
        public long Tx { get; set; }
        public long GlobalId { get; set; }
    }
}
