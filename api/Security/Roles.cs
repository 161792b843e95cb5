namespace MonEspaceSante.Api.Security;

public static class Roles
{
    public const string Patient = "patient";
    public const string Operator = "operator";
    public const string Client = "client";
    public const string Professional = "professional";
    public const string SpaceIdClaim = "space_id";
    public const string Scheme = "Bearer";
}
