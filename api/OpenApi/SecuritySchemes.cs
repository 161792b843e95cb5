using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using MonEspaceSante.Api.Security;

namespace MonEspaceSante.Api.OpenApi;

/// <summary>
/// How callers authenticate, as the document declares it. Every caller but the live-notification
/// streams sends <c>Authorization: Bearer</c> (see <see cref="BearerSchemeSelector"/>); the
/// schemes differ by who holds the token, so a client generator and a reader both see which
/// token each route takes.
/// </summary>
public static class SecuritySchemes
{
    public const string PatientSession = "patientSession";
    public const string ProfessionalToken = "professionalToken";
    public const string SoftwareKey = "softwareKey";
    public const string OperatorKey = "operatorKey";
    public const string RealtimeTicket = "realtimeTicket";

    /// <summary>Declares the five schemes in the document's components (idempotent).</summary>
    public static void Declare(OpenApiDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        foreach (var (name, scheme) in All())
        {
            document.Components.SecuritySchemes.TryAdd(name, scheme);
        }
    }

    /// <summary>The schemes a caller in <paramref name="role"/> may use on <c>Authorization: Bearer</c>.</summary>
    public static IEnumerable<string> ForRole(string role) => role switch
    {
        Roles.Patient => [PatientSession],
        // A professional comes with their own token, or through their facility's software.
        Roles.Professional => [ProfessionalToken, SoftwareKey],
        Roles.Client => [SoftwareKey],
        Roles.Operator => [OperatorKey],
        _ => [],
    };

    private static IEnumerable<(string Name, OpenApiSecurityScheme Scheme)> All()
    {
        yield return (PatientSession, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "A patient's session: the opaque token returned by POST /api/auth/login/verify. "
                + "It is checked against the session store on every request, so a logout or a closed space ends it at once.",
        });
        yield return (ProfessionalToken, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "A health professional's access token from the OpenID Connect issuer (Pro Santé Connect): "
                + "signed (RS256, PS256 or ES256), for this API's audience, unexpired, carrying the RPPS or the national id (8 + RPPS).",
        });
        yield return (SoftwareKey, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API key of professionals' software (hospital, lab or practice system), configured by the deployment with its facility (FINESS). "
                + $"With the {BearerAuthenticationHandler.ActingForHeader} header (one RPPS, or 8 + RPPS) the software acts for that professional, "
                + "who must belong to the key's facility in the directory; a key without a facility cannot use the header, and a malformed header fails authentication. "
                + "Without the header the software acts as itself (sending and releasing documents only).",
        });
        yield return (OperatorKey, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An operator's API key, configured by the deployment: enrolment imports, the professionals directory, counts and alerts; never health content.",
        });
        yield return (RealtimeTicket, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Query,
            Name = "access_token",
            Description = "A short-lived ticket from POST /api/realtime/tickets, for the live-notification hub and stream, "
                + "which browsers open without an Authorization header (WebSockets, server-sent events). Nothing else accepts a ticket.",
        });
    }
}

/// <summary>Puts the security schemes in the document, whether or not an operation refers to them.</summary>
internal sealed class SecuritySchemesDocumentTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        SecuritySchemes.Declare(document);
        return Task.CompletedTask;
    }
}
