using MonEspaceSante.Identity;

namespace MonEspaceSante.Notifications;

/// <summary>Whose feed a caller reads: a patient's is their space's id, a professional's is <c>professional:{rpps}</c>.</summary>
public static class FeedRecipients
{
    public static string? Of(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.Kind switch
        {
            // A guardian's live stream is their own feed (which tells them of their children's
            // guardianship); a child's feed is read with the child's space named (docs/children.md).
            CallerKind.Patient or CallerKind.Guardian => caller.Id,
            CallerKind.Professional => Professional(caller.Id),
            _ => null,
        };
    }

    public static string Professional(string rpps) => "professional:" + rpps;
}
