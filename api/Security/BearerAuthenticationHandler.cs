using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MonEspaceSante.Identity;
using MonEspaceSante.Security;
using MonEspaceSante.Sessions;

namespace MonEspaceSante.Api.Security;

/// <summary>
/// Opaque bearer tokens: a patient session (looked up per request, so a logout or closure
/// takes effect at once on every silo), or an operator's or a client software's key from the
/// deployment's configuration. Software may act for a named professional (<see cref="ActingForHeader"/>).
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
    /// <summary>The RPPS (or national id 8+RPPS) of the professional a software client acts for.</summary>
    public const string ActingForHeader = "X-Acting-For";

    /// <summary>A guardian's session acting on a child's space (its id) instead of their own; docs/children.md.</summary>
    public const string ChildSpaceHeader = "X-Child-Space";

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
        if (Match(operators.Value.Keys, key => key.Sha256, hash) is { } operatorKey)
        {
            return Success(new Claim(ClaimTypes.Name, operatorKey.Name), new Claim(ClaimTypes.Role, Roles.Operator));
        }

        if (Match(clients.Value.Keys, key => key.Sha256, hash) is { } clientKey)
        {
            return Client(clientKey);
        }

        if (await sessions.ValidateAsync(token, Context.RequestAborted).ConfigureAwait(false) is { } spaceId)
        {
            List<Claim> claims = [new(ClaimTypes.Name, spaceId.ToString()), new(Roles.SpaceIdClaim, spaceId.ToString()), new(ClaimTypes.Role, Roles.Patient)];
            if (Request.Headers.TryGetValue(ChildSpaceHeader, out var child))
            {
                // Only a claim to be a guardian: the child's grain decides on every call whether it is true.
                if (child.Count != 1 || !Guid.TryParse(child[0], out var childSpaceId))
                {
                    return AuthenticateResult.Fail($"Malformed {ChildSpaceHeader} header.");
                }

                claims.Add(new Claim(Roles.ChildSpaceClaim, childSpaceId.ToString()));
            }

            return Success([.. claims]);
        }

        return AuthenticateResult.Fail("Unknown or expired token.");
    }

    /// <summary>
    /// A software client, acting for no one or for the professional it names. A header that is
    /// present but not one valid RPPS fails the whole request: acting as the bare client instead
    /// would silently change who the access history says was there.
    /// </summary>
    private AuthenticateResult Client(ClientKey key)
    {
        List<Claim> claims = [new(ClaimTypes.Name, key.Name), new(ClaimTypes.Role, Roles.Client)];
        if (!string.IsNullOrWhiteSpace(key.Finess))
        {
            claims.Add(new Claim(Roles.FinessClaim, key.Finess.Trim()));
        }

        if (Request.Headers.TryGetValue(ActingForHeader, out var actingFor))
        {
            if (actingFor.Count != 1 || !Rpps.TryParse(actingFor[0], out var rpps))
            {
                return AuthenticateResult.Fail($"Malformed {ActingForHeader} header.");
            }

            // Software vouches only for its own facility's professionals (checked against the
            // directory at each access); a key not tied to a facility vouches for no one.
            if (string.IsNullOrWhiteSpace(key.Finess))
            {
                return AuthenticateResult.Fail($"This software key has no facility and cannot use {ActingForHeader}.");
            }

            claims.Add(new Claim(ClaimTypes.Role, Roles.Professional));
            claims.Add(new Claim(Roles.RppsClaim, rpps.Value));
            claims.Add(new Claim(Roles.ViaClaim, key.Name));
        }

        return Success([.. claims]);
    }

    /// <summary>
    /// RFC 6750: a 401 says which scheme to use, and whether the token sent was refused. Nothing
    /// more: the reason a token failed is for the logs, not for whoever holds it.
    /// </summary>
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = Request.Headers.Authorization.Count > 0 ? "Bearer error=\"invalid_token\"" : "Bearer";
        return Task.CompletedTask;
    }

    /// <summary>The configured key whose SHA-256 is <paramref name="hash"/>, compared in constant time.</summary>
    private static T? Match<T>(IEnumerable<T> keys, Func<T, string> sha256, byte[] hash)
        where T : class =>
        keys.FirstOrDefault(key => CryptographicOperations.FixedTimeEquals(hash, Encoding.ASCII.GetBytes(sha256(key).ToUpperInvariant())));

    private AuthenticateResult Success(params Claim[] claims) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name)), Scheme.Name));
}
