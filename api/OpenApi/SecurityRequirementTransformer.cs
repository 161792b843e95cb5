using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using MonEspaceSante.Api.Security;

namespace MonEspaceSante.Api.OpenApi;

/// <summary>
/// Each operation's security: one alternative per scheme its policy accepts (any one is enough),
/// none on anonymous routes. Routes open to professionals also document the optional
/// <c>X-Acting-For</c> header their software sends.
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
    }
}
