using Microsoft.Extensions.DependencyInjection;

namespace MonEspaceSante.Api.OpenApi;

public static class OpenApiServiceCollectionExtensions
{
    /// <summary>
    /// The OpenAPI document (<c>/openapi/v1.json</c>) with what the bare generator leaves out:
    /// the security schemes and each operation's requirements, and the problem responses every
    /// route shares (authentication, rate limiting, the body it takes, storage), with
    /// <c>Retry-After</c> on the temporary ones. Summaries and route-specific problem statuses are
    /// declared on the routes themselves.
    /// </summary>
    public static IServiceCollection AddMonEspaceSanteOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer<SecuritySchemesDocumentTransformer>();
            o.AddOperationTransformer<SecurityRequirementTransformer>();
            o.AddOperationTransformer<ProblemResponseTransformer>();
        });
}
