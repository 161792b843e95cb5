using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using MonEspaceSante.Api.Problems;
using MonEspaceSante.Api.OpenApi;
using MonEspaceSante.Storage;

namespace MonEspaceSante.Api.Health;

public sealed record HealthReport(string Status, string Storage, int SchemaVersion);

public static class HealthEndpoints
{
    /// <summary><c>/health</c>: 200 when the database answers and its schema is migrated, 503 otherwise.</summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health", async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> (IDatabase database, Migrator migrator, HttpResponse response, CancellationToken cancellationToken) =>
        {
            JsonHttpResult<HealthReport> Unavailable(string status, int version)
            {
                // Load balancers and clients retry an unhealthy silo after this long.
                response.SetRetryAfter(StorageFailures.RetryAfter);
                return TypedResults.Json(new HealthReport(status, database.Provider.ToString(), version), statusCode: 503);
            }

            try
            {
                await using var connection = await database.OpenAsync(cancellationToken);
                await connection.ExecuteScalarAsync<int>("select 1");
                var version = await migrator.CurrentVersionAsync(cancellationToken);
                var latest = Migrator.Load(database.Provider)[^1].Version;
                return version >= latest
                    ? TypedResults.Ok(new HealthReport("healthy", database.Provider.ToString(), version))
                    : Unavailable("migrating", version);
            }
            catch (Exception exception) when (exception is System.Data.Common.DbException or TimeoutException)
            {
                return Unavailable("unhealthy", 0);
            }
        }).WithTags("Health").AllowAnonymous().WithName("Health")
            .WithSummary("Report whether the database answers and its schema is up to date")
            .Produces<HealthReport>(StatusCodes.Status503ServiceUnavailable);
        return routes;
    }
}
