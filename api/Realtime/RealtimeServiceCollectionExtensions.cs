using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MonEspaceSante.Api.Security;

namespace MonEspaceSante.Api.Realtime;

public static class RealtimeServiceCollectionExtensions
{
    /// <summary>The hub, this silo's relay, tickets and their authentication scheme.</summary>
    public static IServiceCollection AddMonEspaceSanteRealtime(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<RealtimeOptions>().Bind(configuration.GetSection("Realtime")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RealtimeOptions>, RealtimeOptionsValidation>();
        services.AddSignalR(o =>
        {
            // A payload is a small notification record; anything bigger from a client is abuse.
            o.MaximumReceiveMessageSize = 4 * 1024;
        });
        services.AddSingleton<LiveFeed>();
        services.AddSingleton<RealtimeTickets>();
        services.AddSingleton<RelayConnections>();
        services.AddSingleton<NotificationRelay>();
        services.AddHostedService(sp => sp.GetRequiredService<NotificationRelay>());
        services.AddSingleton<LiveStreamSubscriptions>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveStreamSubscriptions>());
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, TicketAuthenticationHandler>(TicketAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(RealtimeEndpoints.ClientPolicy, p => p
            .AddAuthenticationSchemes(TicketAuthenticationHandler.SchemeName, Roles.Scheme)
            .RequireRole(Roles.Patient, Roles.Professional));
        return services;
    }
}
