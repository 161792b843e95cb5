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
}
