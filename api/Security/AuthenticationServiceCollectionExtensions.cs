using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MonEspaceSante.Api.Security;

public static class AuthenticationServiceCollectionExtensions
{
    /// <summary>
    /// One <c>Bearer</c> scheme for every caller, forwarding by the token's shape to the opaque
    /// scheme (patients, operators, software) or the professional JWT scheme; and the policies.
    /// </summary>
    public static IServiceCollection AddMonEspaceSanteAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.Configure<OperatorOptions>(configuration.GetSection("Operators"));
        services.Configure<ClientOptions>(configuration.GetSection("Clients"));
        services.AddOptions<ProfessionalOidcOptions>().Bind(configuration.GetSection(ProfessionalOidcOptions.Section))
            .Validate(o => ProfessionalSigningKeys.Problem(o.SigningKeys) is null, "Professionals:Oidc:SigningKeys must be a JWKS document with at least one RSA or EC key.")
            .ValidateOnStart();
        services.AddOptions<TestIssuerOptions>().Bind(configuration.GetSection(TestIssuerOptions.Section))
            .Validate<IHostEnvironment>(TestIssuerGuard.Allowed, TestIssuerGuard.Refusal)
            .Validate<IOptions<ProfessionalOidcOptions>>((o, oidc) => !o.Enabled || !string.IsNullOrWhiteSpace(oidc.Value.Audience), "The test issuer needs Professionals:Oidc:Audience, the audience its tokens are for.")
            .ValidateOnStart();
        // Not even registered when off: nothing can ask for a test token by mistake.
        if (configuration.GetSection(TestIssuerOptions.Section).Get<TestIssuerOptions>()?.Enabled == true)
        {
            services.AddSingleton<TestIssuer>();
        }

        services.AddSingleton<IConfigureOptions<JwtBearerOptions>, ProfessionalJwtBearerSetup>();

        services.AddAuthentication(Roles.Scheme)
            .AddPolicyScheme(Roles.Scheme, "Bearer token", o => o.ForwardDefaultSelector = BearerSchemeSelector.Select)
            .AddScheme<AuthenticationSchemeOptions, BearerAuthenticationHandler>(Roles.OpaqueScheme, null)
            .AddJwtBearer(Roles.ProfessionalJwtScheme);
        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.Patient, p => p.RequireRole(Roles.Patient))
            .AddPolicy(Roles.Operator, p => p.RequireRole(Roles.Operator))
            .AddPolicy(Roles.Client, p => p.RequireRole(Roles.Client))
            .AddPolicy(Roles.Professional, p => p.RequireRole(Roles.Professional).RequireClaim(Roles.RppsClaim));
        return services;
    }
}
