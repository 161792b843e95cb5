namespace MonEspaceSante.Api.Security;

/// <summary>
/// The built-in test issuer (section <c>Professionals:TestIssuer</c>): signs professionals'
/// tokens for development and tests. Refused at startup in the Production environment.
/// </summary>
public sealed class TestIssuerOptions
{
    public const string Section = "Professionals:TestIssuer";

    public bool Enabled { get; set; }

    public string Issuer { get; set; } = "https://test-issuer.monespacesante.invalid";

    /// <summary>
    /// A PEM file holding the signing key, created on first use, so that several silos of one
    /// development deployment accept each other's tokens. Unset: a key per process.
    /// </summary>
    public string? KeyFile { get; set; }
}
