using Microsoft.Extensions.Hosting;

namespace MonEspaceSante.Api.Security;

/// <summary>
/// The test issuer signs a token for any RPPS on request: enabled in production it would let
/// anyone act as any professional. Checked when the host starts, and again by the issuer itself.
/// </summary>
public static class TestIssuerGuard
{
    public const string Refusal =
        TestIssuerOptions.Section + ":Enabled is true outside the Development and Testing environments. The test issuer signs tokens for any professional on request; "
        + "it runs only in Development or test environments (set ASPNETCORE_ENVIRONMENT=Development for local use), never in production.";

    public static bool Allowed(TestIssuerOptions options, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        // An allow-list: a staging or pre-production host must not hand out tokens either.
        return !options.Enabled || environment.IsDevelopment() || environment.IsEnvironment("Testing");
    }

    public static void ThrowIfNotAllowed(TestIssuerOptions options, IHostEnvironment environment)
    {
        if (!Allowed(options, environment))
        {
            throw new InvalidOperationException(Refusal);
        }
    }
}
