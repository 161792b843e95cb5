using Microsoft.IdentityModel.Tokens;

namespace MonEspaceSante.Api.Security;

/// <summary>The issuer's pinned public keys, from the JWKS JSON in <c>Professionals:Oidc:SigningKeys</c>.</summary>
public static class ProfessionalSigningKeys
{
    /// <summary>
    /// The set's RSA and EC keys. Symmetric ("oct") entries are dropped: a shared secret in
    /// configuration would let whoever reads it sign as the issuer.
    /// </summary>
    public static IReadOnlyList<SecurityKey> Parse(string? jwks)
    {
        if (string.IsNullOrWhiteSpace(jwks))
        {
            return [];
        }

        return [.. new JsonWebKeySet(jwks).Keys.Where(key => key.Kty is JsonWebAlgorithmsKeyTypes.RSA or JsonWebAlgorithmsKeyTypes.EllipticCurve)];
    }

    /// <summary>Null when <paramref name="jwks"/> is empty or a usable key set; otherwise why not.</summary>
    public static string? Problem(string? jwks)
    {
        try
        {
            return string.IsNullOrWhiteSpace(jwks) || Parse(jwks).Count > 0 ? null : ProfessionalOidcOptions.Section + ":SigningKeys holds no RSA or EC key.";
        }
        catch (Exception exception) when (exception is ArgumentException or System.Text.Json.JsonException)
        {
            return ProfessionalOidcOptions.Section + ":SigningKeys is not a JWKS document.";
        }
    }
}
