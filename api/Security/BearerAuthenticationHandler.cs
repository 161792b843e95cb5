using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MonEspaceSante.Security;
using MonEspaceSante.Sessions;

namespace MonEspaceSante.Api.Security;

/// <summary>
/// Opaque bearer tokens: a patient session (looked up per request, so a logout or closure
/// takes effect at once on every silo), or an operator's or a client software's key from the
/// deployment's configuration.
/// </summary>
public sealed class BearerAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    SessionStore sessions,
    IOptions<OperatorOptions> operators,
    IOptions<ClientOptions> clients)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var token = header["Bearer ".Length..].Trim();
        if (token.Length is 0 or > 512)
        {
            return AuthenticateResult.Fail("Malformed token.");
        }

        var hash = Encoding.ASCII.GetBytes(OneTimeCode.Sha256(token));
        if (Match(operators.Value.Keys, hash) is { } operatorKey)
        {
            return Success(new Claim(ClaimTypes.Name, operatorKey.Name), new Claim(ClaimTypes.Role, Roles.Operator));
        }

        if (Match(clients.Value.Keys, hash) is { } clientKey)
        {
            return Success(new Claim(ClaimTypes.Name, clientKey.Name), new Claim(ClaimTypes.Role, Roles.Client));
        }

        if (await sessions.ValidateAsync(token, Context.RequestAborted).ConfigureAwait(false) is { } spaceId)
        {
            return Success(new Claim(ClaimTypes.Name, spaceId.ToString()), new Claim(Roles.SpaceIdClaim, spaceId.ToString()), new Claim(ClaimTypes.Role, Roles.Patient));
        }

        return AuthenticateResult.Fail("Unknown or expired token.");
    }

    /// <summary>The configured key whose SHA-256 is <paramref name="hash"/>, compared in constant time.</summary>
    private static OperatorKey? Match(IEnumerable<OperatorKey> keys, byte[] hash) =>
        keys.FirstOrDefault(key => CryptographicOperations.FixedTimeEquals(hash, Encoding.ASCII.GetBytes(key.Sha256.ToUpperInvariant())));

    private AuthenticateResult Success(params Claim[] claims) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name)), Scheme.Name));
}
