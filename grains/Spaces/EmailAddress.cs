using System.Net.Mail;

namespace MonEspaceSante.Spaces;

public static class EmailAddress
{
    /// <summary>Returns the trimmed, lower-cased address, or null when it is not a plain address.</summary>
    public static string? Normalize(string? text)
    {
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > 254 || !MailAddress.TryCreate(trimmed, out var address))
        {
            return null;
        }

        // MailAddress accepts display-name forms ("Name <a@b>"); only a bare address is an address here.
        if (!string.Equals(address.Address, trimmed, StringComparison.Ordinal) || !address.Host.Contains('.', StringComparison.Ordinal))
        {
            return null;
        }

        return trimmed.ToLowerInvariant();
    }

    /// <summary>
    /// The address as shown to someone who may not own it (the old address after a change):
    /// first letter of the local part, then the domain, e.g. <c>j***@example.fr</c>.
    /// </summary>
    public static string Mask(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var at = address.LastIndexOf('@');
        return at <= 0 ? "***" : string.Concat(address.AsSpan(0, 1), "***", address.AsSpan(at));
    }
}
