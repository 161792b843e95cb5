using Microsoft.Extensions.DependencyInjection;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using MonEspaceSante.Identity;
using MonEspaceSante.Security;

namespace MonEspaceSante.Api.Realtime;

public sealed record RealtimeTicket(string Ticket, DateTimeOffset ExpiresAt);

/// <summary>
/// Short-lived tickets for the hub and event streams. Browsers cannot set headers on a
/// WebSocket or an EventSource, so the credential must travel in the URL; a ticket is what
/// travels instead of the session or access token: sealed (AES-GCM, any silo opens it), good
/// for one minute, and only for live notifications.
/// </summary>
public sealed class RealtimeTickets(Sealer sealer, [FromKeyedServices(PlatformClock.Key)] TimeProvider time, IOptions<RealtimeOptions> options)
{
    private const string Purpose = "realtime-ticket";

    public RealtimeTicket Issue(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var expires = time.GetUtcNow() + options.Value.TicketLifetime;
        // A random part keeps two tickets for one caller in one millisecond distinct.
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        var plain = string.Join('|', Purpose, caller.Kind, caller.Id, caller.Via ?? "", expires.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), nonce);
        var sealedText = sealer.Seal(plain);
        return new RealtimeTicket(Base64UrlFromBase64(sealedText), expires);
    }

    public Caller? Open(string? ticket)
    {
        if (string.IsNullOrEmpty(ticket) || ticket.Length > 1024)
        {
            return null;
        }

        string plain;
        try
        {
            plain = sealer.Unseal(Base64FromBase64Url(ticket));
        }
        catch (Exception exception) when (exception is CryptographicException or FormatException or ArgumentException)
        {
            return null;
        }

        var parts = plain.Split('|');
        if (parts.Length != 6 || parts[0] != Purpose || !Enum.TryParse<CallerKind>(parts[1], out var kind)
            || !long.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || DateTimeOffset.FromUnixTimeMilliseconds(expires) <= time.GetUtcNow()
            || kind is not (CallerKind.Patient or CallerKind.Professional))
        {
            return null;
        }

        return new Caller(kind, parts[2]) { Via = parts[3].Length == 0 ? null : parts[3] };
    }

    private static string Base64UrlFromBase64(string value) => value.TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Base64FromBase64Url(string value)
    {
        var padded = value.Replace('-', '+').Replace('_', '/');
        return padded + new string('=', (4 - (padded.Length % 4)) % 4);
    }
}
