using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using MonEspaceSante.Api.Security;

namespace MonEspaceSante.Api.OpenApi;

/// <summary>
/// Each operation's security: one alternative per scheme its policy accepts (any one is enough),
/// none on anonymous routes. Routes open to professionals also document the optional
/// <c>X-Acting-For</c> header their software sends; patients' routes, the optional
/// <c>X-Child-Space</c> header of a guardian.
/// </summary>
internal sealed class SecurityRequirementTransformer : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var access = await EndpointAccess.OfAsync(context).ConfigureAwait(false);
        if (access.Anonymous)
        {
            operation.Security = null;
            return;
        }

        // The components may not be there yet (document transformers run after operations);
        // a requirement must point at a declared scheme.
        SecuritySchemes.Declare(context.Document!);
        operation.Security = [.. access.Schemes.Select(scheme => new OpenApiSecurityRequirement
        {
            [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [],
        })];

        if (access.Roles.Contains(Roles.Professional))
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = BearerAuthenticationHandler.ActingForHeader,
                In = ParameterLocation.Header,
                Required = false,
                Description = "With a software key only: the RPPS (11 digits, or 8 + RPPS) of the professional the software acts for, "
                    + "who must belong to the key's facility. Ignored with a professional's own token.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^8?[0-9]{11}$" },
            });
        }

        var path = "/" + (context.Description.RelativePath ?? "");
        if (access.Roles.Contains(Roles.Patient) && path.StartsWith("/api/me", StringComparison.Ordinal) && !path.StartsWith("/api/me/children", StringComparison.Ordinal))
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = BearerAuthenticationHandler.ChildSpaceHeader,
                In = ParameterLocation.Header,
                Required = false,
                Description = "With a patient's session only: the id of a minor's space the patient manages as its guardian (see /api/me/children); "
                    + "the request then acts on that space. Until the child's 18th birthday; documents hidden from guardians never appear; "
                    + "login, e-mail, alerts, closure and the mailbox stay the holder's (403 holder-only).",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" },
            });
        }
    }
}
