namespace MonEspaceSante.Api.Security;

public static class Roles
{
    public const string Patient = "patient";
    public const string Operator = "operator";
    public const string Client = "client";

    /// <summary>A health professional: with their own token, or through software acting for them.</summary>
    public const string Professional = "professional";

    public const string SpaceIdClaim = "space_id";

    /// <summary>On a patient's session: the child's space they act on as its guardian (X-Child-Space).</summary>
    public const string ChildSpaceClaim = "child_space_id";

    /// <summary>The professional's 11-digit RPPS.</summary>
    public const string RppsClaim = "rpps";

    /// <summary>The name of the software acting for a professional; absent on a professional's own token.</summary>
    public const string ViaClaim = "via";

    /// <summary>The FINESS of the facility a software client belongs to, when configured.</summary>
    public const string FinessClaim = "finess";

    /// <summary>The default scheme: picks <see cref="OpaqueScheme"/> or <see cref="ProfessionalJwtScheme"/> from the token's shape.</summary>
    public const string Scheme = "Bearer";

    /// <summary>Patients' sessions, operators' and software clients' keys.</summary>
    public const string OpaqueScheme = "Opaque";

    /// <summary>Professionals' access tokens from the OpenID Connect issuer.</summary>
    public const string ProfessionalJwtScheme = "ProfessionalJwt";
}
