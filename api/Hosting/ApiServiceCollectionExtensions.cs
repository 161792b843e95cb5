using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MonEspaceSante.Api.Access;
using MonEspaceSante.Api.Accounts;
using MonEspaceSante.Api.Care;
using MonEspaceSante.Api.Children;
using MonEspaceSante.Api.Messaging;
using MonEspaceSante.Api.OpenApi;
using MonEspaceSante.Api.Realtime;
using MonEspaceSante.Api.Documents;
using MonEspaceSante.Api.Health;
using MonEspaceSante.Api.HealthProfiles;
using MonEspaceSante.Api.Operators;
using MonEspaceSante.Api.Patients;
using MonEspaceSante.Api.Problems;
using MonEspaceSante.Api.Professionals;
using MonEspaceSante.Api.Security;
using Microsoft.AspNetCore.Routing;
using MonEspaceSante.Errors;

namespace MonEspaceSante.Api;

public sealed class RateLimitOptions
{
    /// <summary>Requests per client address per window on the anonymous account flows (activation, opposition, login).</summary>
    public int AccountFlowPermits { get; set; } = 30;

    public TimeSpan AccountFlowWindow { get; set; } = TimeSpan.FromMinutes(15);
}

public static class ApiServiceCollectionExtensions
{
    public static IServiceCollection AddMonEspaceSanteApi(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddProblemDetails();
        services.AddExceptionHandler<DomainExceptionHandler>();
        services.AddMonEspaceSanteOpenApi();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            // A misspelt or unsupported field is refused, not dropped: a client must not believe
            // it set something (a mask, a visibility) the platform never saw.
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        });
        // Unreadable bodies and parameters reach DomainExceptionHandler, which says what was wrong.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();

        services.AddMonEspaceSanteAuthentication(configuration);
        services.AddMonEspaceSanteRealtime(configuration);

        var limits = configuration.GetSection("RateLimits").Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(AccountEndpoints.RateLimitPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.AccountFlowPermits, Window = limits.AccountFlowWindow, QueueLimit = 0 }));
            o.OnRejected = async (context, cancellationToken) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.SetRetryAfter(retryAfter);
                }

                var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests from this address; try again later.",
                        Type = ErrorResponses.TypePrefix + "rate-limited",
                    },
                }).ConfigureAwait(false);
            };
        });
        return services;
    }

    public static WebApplication UseMonEspaceSanteApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseErrorResponses();
        app.UseExceptionHandler();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }

    public static IEndpointRouteBuilder MapMonEspaceSanteApi(this IEndpointRouteBuilder routes)
    {
        routes.MapOpenApi();
        routes.MapHealthApi();
        routes.MapAccountsApi();
        routes.MapPatientsApi();
        routes.MapChildrenApi();
        routes.MapAccountSettingsApi();
        routes.MapDocumentsApi();
        routes.MapClientDocumentsApi();
        routes.MapAccessApi();
        routes.MapCareApi();
        routes.MapHealthProfileApi();
        routes.MapMessagingApi();
        routes.MapRealtimeApi();
        routes.MapOperatorsApi();
        routes.MapProfessionalsApi();
        routes.MapProfessionalSessionApi();
        routes.MapTestIssuerApi();
        return routes;
    }
}
