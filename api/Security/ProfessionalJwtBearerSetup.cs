using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using MonEspaceSante.Identity;

namespace MonEspaceSante.Api.Security;

/// <summary>
/// Builds the professional scheme's validation from <see cref="ProfessionalOidcOptions"/> and, when
/// enabled, the test issuer. Every check is explicit rather than left to library defaults: issuer,
/// audience, lifetime on the application's clock, a required signature with an allowed algorithm.
/// </summary>
public sealed class ProfessionalJwtBearerSetup(
    IOptions<ProfessionalOidcOptions> oidcOptions,
    IOptions<TestIssuerOptions> testIssuerOptions,
    IServiceProvider services,
    [FromKeyedServices(PlatformClock.Key)] TimeProvider time)
    : IConfigureNamedOptions<JwtBearerOptions>
{
    public void Configure(string? name, JwtBearerOptions options)
    {
        if (name == Roles.ProfessionalJwtScheme)
        {
            Configure(options);
        }
    }

    public void Configure(JwtBearerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var oidc = oidcOptions.Value;
        var testIssuer = testIssuerOptions.Value.Enabled ? services.GetRequiredService<TestIssuer>() : null;

        List<string> issuers = [];
        List<SecurityKey> keys = [.. ProfessionalSigningKeys.Parse(oidc.SigningKeys)];
        if (!string.IsNullOrWhiteSpace(oidc.Issuer))
        {
            issuers.Add(oidc.Issuer);
        }

        if (testIssuer is not null)
        {
            issuers.Add(testIssuer.Issuer);
            keys.Add(testIssuer.SigningKey);
        }

        if (!string.IsNullOrWhiteSpace(oidc.Authority))
        {
            options.Authority = oidc.Authority;
        }

        if (!string.IsNullOrWhiteSpace(oidc.MetadataAddress))
        {
            options.MetadataAddress = oidc.MetadataAddress;
        }

        options.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
        options.MapInboundClaims = false;
        options.SaveToken = false;
        options.TimeProvider = time;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidIssuers = issuers,
            ValidateAudience = true,
            ValidAudience = oidc.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = oidc.ClockSkew,
            // The library judges lifetimes on the system clock; ours is injected (and moved by tests).
            LifetimeValidator = (notBefore, expires, _, parameters) => LifetimeValid(notBefore, expires, parameters.ClockSkew),
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            IssuerSigningKeys = keys,
            // A key signs only for its own issuer: the test issuer's key cannot vouch for the real one's tokens, nor the reverse.
            IssuerSigningKeyValidator = (key, token, _) => KeyMatchesIssuer(key, token, testIssuer),
            ValidAlgorithms = [.. oidc.Algorithms],
            NameClaimType = ClaimTypes.Name,
            RoleClaimType = ClaimTypes.Role,
        };
        options.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                ToProfessional(context, oidc.RppsClaim);
                return Task.CompletedTask;
            },
        };
    }

    private bool LifetimeValid(DateTime? notBefore, DateTime? expires, TimeSpan skew)
    {
        if (expires is null)
        {
            return false;
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (notBefore is { } start && (start > expires.Value || start > now + skew))
        {
            return false;
        }

        return expires.Value > now - skew;
    }

    /// <summary>
    /// Replaces the library's key check, which only looks at X.509 certificates' dates: the keys
    /// here are bare public keys (JWKS or the issuer's metadata), rotated by the issuer.
    /// </summary>
    private static bool KeyMatchesIssuer(SecurityKey key, SecurityToken token, TestIssuer? testIssuer)
    {
        var fromTestIssuer = testIssuer is not null && ReferenceEquals(key, testIssuer.SigningKey);
        var claimsTestIssuer = testIssuer is not null && string.Equals(token.Issuer, testIssuer.Issuer, StringComparison.Ordinal);
        return fromTestIssuer == claimsTestIssuer;
    }

    /// <summary>
    /// Replaces the token's claims with the few this API uses: nothing else from the token is
    /// carried along, so nothing else can be relied on by accident.
    /// </summary>
    private static void ToProfessional(TokenValidatedContext context, string rppsClaim)
    {
        if (!Rpps.TryParse(context.Principal?.FindFirstValue(rppsClaim), out var rpps))
        {
            context.Fail($"The token carries no valid RPPS in its '{rppsClaim}' claim.");
            return;
        }

        context.Principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, rpps.Value), new Claim(Roles.RppsClaim, rpps.Value), new Claim(ClaimTypes.Role, Roles.Professional)],
            Roles.ProfessionalJwtScheme,
            ClaimTypes.Name,
            ClaimTypes.Role));
    }
}
