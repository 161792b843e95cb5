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
}
