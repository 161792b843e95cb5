using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using MonEspaceSante.Api.Security;

namespace MonEspaceSante.Tests.Infrastructure;

/// <summary>Professionals as tests need them: valid RPPS numbers, tokens from the silo's test issuer, software acting for someone.</summary>
public static class ProfessionalTokens
{
    /// <summary>The audience every test silo expects on professionals' tokens.</summary>
    public const string Audience = "monespacesante-api";

    /// <summary>A random RPPS with a valid Luhn check digit.</summary>
    public static string NewRpps()
    {
        var body = "1" + RandomNumberGenerator.GetInt32(0, 1_000_000_000).ToString("D9", System.Globalization.CultureInfo.InvariantCulture);
        for (var check = 0; check <= 9; check++)
        {
            if (MonEspaceSante.Identity.Rpps.IsValid(body + check))
            {
                return body + check;
            }
        }

        throw new InvalidOperationException("Unreachable: one check digit always fits.");
    }

    /// <summary>An access token from the silo's test issuer, through its HTTP endpoint.</summary>
    public static async Task<TestIssuerToken> TokenAsync(this SiloFactory silo, string rpps, int? lifetimeSeconds = null, string? audience = null)
    {
        using var client = silo.CreateClient();
        using var response = await client.PostAsJsonAsync("/dev/test-issuer/token", new { rpps, lifetimeSeconds, audience });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TestIssuerToken>(Json.Options))!;
    }

    /// <summary>A client carrying a valid professional's token for <paramref name="rpps"/>.</summary>
    public static async Task<HttpClient> Professional(this SiloFactory silo, string rpps) =>
        silo.WithBearer((await silo.TokenAsync(rpps)).AccessToken);

    /// <summary>Professionals' software (the lab system, or the other one) acting for <paramref name="rpps"/>.</summary>
    public static HttpClient SoftwareFor(this SiloFactory silo, string rpps, bool other = false)
    {
        var client = silo.Software(other);
        client.DefaultRequestHeaders.Add(BearerAuthenticationHandler.ActingForHeader, rpps);
        return client;
    }

    public static HttpClient WithBearer(this SiloFactory silo, string token)
    {
        var client = silo.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
