using System.Text.Json;
using MonEspaceSante.Access;
using MonEspaceSante.Identity;

namespace MonEspaceSante.Spaces;

/// <summary>
/// What a minor's guardians see of the child's space, in one place: a document a professional
/// hid from them (INVISIBLE_REPRESENTANTS_LEGAUX) does not exist for them, so nothing built from
/// the feed or the access history for a guardian may name it or tell of it. Every route that
/// reads the feed or the history for a guardian (feed page, archive, history page, its PDF, its
/// verification) takes its filter from here. Rules: docs/children.md.
/// </summary>
public static class GuardianView
{
    /// <summary>
    /// The payload field that marks a notification about such a document: the document's own
    /// <c>document.added</c> and the professionals' accesses to it (their upload, reads, downloads,
    /// release). Set when the notification is written, since the flag never changes afterwards.
    /// </summary>
    public const string HiddenMarker = "hiddenFromGuardians";

    /// <summary>
    /// The access-history condition for a guardian: entries about a hidden document are left out
    /// (the chain is still verified over every entry). Appended to a <c>where</c> on
    /// <c>access_history</c> that binds <c>@spaceId</c>; empty for anyone else.
    /// </summary>
    public static string HistoryCondition(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.Kind == CallerKind.Guardian
            ? " and (target is null or target not in (select document_id from documents where space_id = @spaceId and hidden_from_guardians = 1))"
            : "";
    }

    /// <summary>Whether this caller must not see a notification with this payload.</summary>
    public static bool Hides(Caller caller, string payloadJson)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.Kind != CallerKind.Guardian || !payloadJson.Contains(HiddenMarker, StringComparison.Ordinal))
        {
            return false;
        }

        using var payload = JsonDocument.Parse(payloadJson);
        return payload.RootElement.ValueKind == JsonValueKind.Object && payload.RootElement.TryGetProperty(HiddenMarker, out _);
    }

    /// <summary>
    /// The chain's verification as a guardian may see it: whether it is intact, over every entry,
    /// but counting only the entries shown to them, and without the head's hash (the head may be
    /// an entry they do not see).
    /// </summary>
    public static HistoryVerification Verification(Caller caller, HistoryVerification verification, long shownEntries)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(verification);
        return caller.Kind == CallerKind.Guardian
            ? verification with { Entries = shownEntries, HeadHash = null }
            : verification;
    }
}
