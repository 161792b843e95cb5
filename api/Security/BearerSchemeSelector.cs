using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;

namespace MonEspaceSante.Api.Security;

/// <summary>
/// Every caller sends <c>Authorization: Bearer</c>. Opaque tokens (sessions, keys) are random
/// base64url with no dots; a token shaped like a signed JWT (three segments) goes to the
/// professional scheme, which then decides whether it is genuine.
/// </summary>
public static class BearerSchemeSelector
{
    private static readonly JsonWebTokenHandler Reader = new();

    public static string Select(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = header["Bearer ".Length..].Trim();
            if (token.Count(c => c == '.') == 2 && Reader.CanReadToken(token))
            {
                return Roles.ProfessionalJwtScheme;
            }
        }

        return Roles.OpaqueScheme;
    }
}
