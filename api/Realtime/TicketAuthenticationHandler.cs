using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MonEspaceSante.Api.Security;
using MonEspaceSante.Identity;

namespace MonEspaceSante.Api.Realtime;

/// <summary>
/// Authenticates live-notification requests by ticket: from <c>access_token</c> in the query
/// (what the SignalR JavaScript client sends on WebSockets and server-sent events) or from the
/// Authorization header (what it sends on negotiate). Nothing else accepts a ticket.
/// </summary>
public sealed class TicketAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, RealtimeTickets tickets)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "RealtimeTicket";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        var ticket = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : Request.Query["access_token"].ToString();
        if (string.IsNullOrEmpty(ticket))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (tickets.Open(ticket) is not { } caller)
        {
            return Task.FromResult(AuthenticateResult.Fail("Unknown or expired ticket."));
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, caller.Id) };
        if (caller.Kind == CallerKind.Patient)
        {
            claims.Add(new Claim(Roles.SpaceIdClaim, caller.Id));
            claims.Add(new Claim(ClaimTypes.Role, Roles.Patient));
        }
        else
        {
            claims.Add(new Claim(Roles.RppsClaim, caller.Id));
            claims.Add(new Claim(ClaimTypes.Role, Roles.Professional));
            if (caller.Via is { } via)
            {
                claims.Add(new Claim(Roles.ViaClaim, via));
            }
        }

        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName)));
    }
}
