using System.Text.Json;
using Dapper;
using MonEspaceSante.Access;
using MonEspaceSante.Identity;
using MonEspaceSante.Notifications;
using MonEspaceSante.Professionals;
using MonEspaceSante.Runtime;
using MonEspaceSante.Spaces;
using MonEspaceSante.Storage;

namespace MonEspaceSante.Documents;

/// <summary>
/// Professionals following a record during care: a document added to a space is announced to
/// the professionals who read that space recently (<see cref="AccessOptions.LiveWatchWindow"/>)
/// and may see this document now, under the patient's rules as read in this same transaction
/// (a revocation, a block or a mask applies at once). The announcement carries the patient's
/// and the document's ids and its category, nothing of its content: opening it is a read,
/// decided and written to the history like any other.
/// </summary>
internal static class CareWatchers
{
    public const string DocumentAddedKind = "care.document-added";

    // Only reading counts as following: sending documents (a lab feeding thousands of
    // patients) does not make the sender a watcher of each space. The same list, as literals,
    // is the predicate of the partial index access_history_readers (migration care_watchers_index).
    internal static readonly AccessAction[] ReadingActions =
    [
        AccessAction.FindPatient, AccessAction.EmergencyAccess, AccessAction.ReadProfile,
        AccessAction.ListDocuments, AccessAction.ReadDocument, AccessAction.DownloadDocument,
    ];

    /// <summary>Literals, not parameters, so the planner can match the partial index with a prepared statement too.</summary>
    internal static readonly string ReadersSql =
        "select distinct rpps from access_history where space_id = @space and at_ms >= @since and outcome = 'Allowed' and action in (" +
        string.Join(", ", ReadingActions.Select(a => $"'{a}'")) + ")";

    /// <summary>The start of the window in which a reader counts as following the record (the <c>@since</c> of <see cref="ReadersSql"/>).</summary>
    public static long Since(GrainContext<PatientSpaceState> ctx, AccessGate gate) => (ctx.Now - gate.Options.LiveWatchWindow).ToUnixTimeMilliseconds();

    /// <summary>Announces the document to the recent readers, read here.</summary>
    public static async Task NotifyAsync(GrainContext<PatientSpaceState> ctx, DocumentRow row, Caller uploader, AccessGate gate) =>
        await NotifyAsync(ctx, row, uploader, gate, await ctx.Connection.QueryAsync<string>(ReadersSql, new { space = ctx.GrainId, since = Since(ctx, gate) }, ctx.Transaction));

    /// <summary>Announces the document to the recent readers, as the caller read them with <see cref="ReadersSql"/> (on PostgreSQL, in the statement that inserts the document).</summary>
    public static async Task NotifyAsync(GrainContext<PatientSpaceState> ctx, DocumentRow row, Caller uploader, AccessGate gate, IEnumerable<string> readers)
    {
        var options = gate.Options;
        var category = Enum.Parse<DocumentCategory>(row.Category);
        foreach (var rpps in readers)
        {
            if (uploader.Kind == CallerKind.Professional && uploader.Id == rpps)
            {
                continue;
            }

            // The directory as the gate reads it for every access: the silo's entry if it has one.
            var professional = await gate.Professionals.FindAsync(ctx.Connection, ctx.Transaction, rpps);
            if (AccessRules.Decide(ctx.State, professional, ctx.Now, options).Rights is { } rights
                && rights.Categories.Contains(category) && (row.Masked == 0 || rights.SeesMasked))
            {
                ctx.Notify(FeedRecipients.Professional(rpps), DocumentAddedKind, JsonSerializer.Serialize(new Dictionary<string, string>
                {
                    ["patientId"] = ctx.GrainId,
                    ["documentId"] = row.DocumentId,
                    ["category"] = row.Category,
                }, GrainJsonContext.Default.DictionaryStringString));
            }
        }
    }
}
