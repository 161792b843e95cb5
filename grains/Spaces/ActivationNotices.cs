using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;
using Dapper;
using MonEspaceSante.Jobs;
using MonEspaceSante.Letters;
using MonEspaceSante.Mail;
using MonEspaceSante.Pdf;
using MonEspaceSante.Runtime;
using MonEspaceSante.Security;
using MonEspaceSante.Storage;

namespace MonEspaceSante.Spaces;

/// <summary>
/// Delivers activation codes: an e-mail when the insurer gave an address, otherwise a letter
/// rendered as a PDF into the print house's folder. Idempotent: the e-mail job's id and the
/// letter's file name are derived from the space and the code's generation, and so is the short
/// reference printed on the letter (<see cref="LetterReference"/>).
/// </summary>
public sealed class ActivationNotices(IDatabase database, Sealer sealer, MailQueue mail, LetterOutbox letters, [FromKeyedServices(PlatformClock.Key)] TimeProvider time)
    : IJobHandler
{
    public const string JobKind = "activation-notices";

    public string Kind => JobKind;

    public JobRecord Job(IReadOnlyList<ActivationNotice> notices, DateTimeOffset now, string? id = null) =>
        new(id ?? Guid.NewGuid().ToString("N"), JobKind, sealer.Seal(JsonSerializer.Serialize(new ActivationNoticeBatch(notices), GrainJsonContext.Default.ActivationNoticeBatch)), now);

    public async Task HandleAsync(ClaimedJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var batch = JsonSerializer.Deserialize(sealer.Unseal(job.Payload), GrainJsonContext.Default.ActivationNoticeBatch)!;
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var emails = new List<JobRecord>();
        foreach (var notice in batch.Notices)
        {
            var json = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
                "select cast(state as text) from grains where grain_type = @type and grain_id = @id",
                new { type = PatientSpaceGrain.GrainType, id = notice.SpaceId.ToString() },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            var state = json is null ? null : JsonSerializer.Deserialize(json, GrainJsonContext.Default.PatientSpaceState);
            // A newer code supersedes this one, or the space is gone: nothing to deliver.
            if (state is null || state.CodeGeneration != notice.CodeGeneration || state.CodeExpiresAt is not { } validUntil)
            {
                continue;
            }

            // The full space id and generation: unique, so it can key the e-mail job and name the letter's file (a
            // job run again replaces its letter rather than printing it twice). Too long to print or read out.
            var deliveryId = $"{notice.SpaceId:N}-{notice.CodeGeneration}";
            var lastValidDay = DateOnly.FromDateTime((validUntil - TimeSpan.FromTicks(1)).UtcDateTime);
            if (state.InsurerEmail is { } email)
            {
                emails.Add(mail.Job(AccountMails.ActivationCode(email, state.FirstNames, notice.Code, lastValidDay), time.GetUtcNow(), "activation:" + deliveryId));
            }
            else
            {
                var pdf = LetterRenderer.RenderActivationLetter(new ActivationLetter(
                    SpaceLifecycle.FullName(state),
                    state.PostalAddress ?? "",
                    notice.Code,
                    state.NotificationDate,
                    lastValidDay,
                    LetterReference.For(notice.SpaceId, notice.CodeGeneration)));
                await letters.WriteAsync(deliveryId, pdf, cancellationToken).ConfigureAwait(false);
            }
        }

        if (emails.Count > 0)
        {
            await using var transaction = await database.BeginAsync(connection, cancellationToken).ConfigureAwait(false);
            foreach (var email in emails)
            {
                await JobQueue.InsertAsync(connection, transaction, email).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
