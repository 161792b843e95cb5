namespace MonEspaceSante.Api.Security;

/// <summary>
/// The OpenID Connect issuer of professionals' access tokens (section <c>Professionals:Oidc</c>):
/// Pro Santé Connect in production.
/// </summary>
public sealed class ProfessionalOidcOptions
{
    public const string Section = "Professionals:Oidc";

    /// <summary>The exact <c>iss</c> tokens must carry. Unset: only the test issuer's tokens (if enabled) are accepted.</summary>
    public string? Issuer { get; set; }

    /// <summary>The <c>aud</c> tokens must carry: this API's client id at the issuer.</summary>
    public string? Audience { get; set; }

    /// <summary>
    /// The issuer's public keys as a JWKS document (the JSON the issuer publishes at its
    /// <c>jwks_uri</c>), for deployments that pin keys rather than fetch them.
    /// </summary>
    public string? SigningKeys { get; set; }

    /// <summary>The issuer's base address; when set, its discovery document supplies (and rotates) the signing keys.</summary>
    public string? Authority { get; set; }

    /// <summary>The discovery document's address, when it is not <c>{Authority}/.well-known/openid-configuration</c>.</summary>
    public string? MetadataAddress { get; set; }

    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The claim holding the professional's id: Pro Santé Connect puts the national id (8 + RPPS) in <c>SubjectNameID</c>.</summary>
    public string RppsClaim { get; set; } = "SubjectNameID";

    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Asymmetric algorithms only: a symmetric one would let anyone holding the public key sign.</summary>
    public IList<string> ValidAlgorithms { get; } = [];

    internal static readonly string[] DefaultAlgorithms = ["RS256", "PS256", "ES256"];

    internal IReadOnlyList<string> Algorithms => ValidAlgorithms.Count > 0 ? [.. ValidAlgorithms] : DefaultAlgorithms;
}
