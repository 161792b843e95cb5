using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using MonEspaceSante.Api.Security;
using MonEspaceSante.Identity;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Security;

/// <summary>Professionals' access tokens: what gets in, what gets a 401, and the test issuer's guard.</summary>
public sealed class ProfessionalTokenTests : SpaceTestBase
{
    private const string Me = "/api/pro/me";

    private TestIssuer Issuer => Silo.Get<TestIssuer>();

    [Fact]
    public async Task A_token_from_the_test_issuer_identifies_the_professional()
    {
        var rpps = ProfessionalTokens.NewRpps();
        using var professional = await Silo.Professional(rpps);

        var me = await MeAsync(professional);

        me.GetProperty("rpps").GetString().Should().Be(rpps);
        me.GetProperty("via").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task The_test_issuer_carries_the_national_id_as_Pro_Sante_Connect_does()
    {
        var rpps = ProfessionalTokens.NewRpps();
        var token = new JsonWebToken((await Silo.TokenAsync(rpps)).AccessToken);

        token.Alg.Should().Be("RS256");
        token.GetClaim("SubjectNameID").Value.Should().Be("8" + rpps);
        token.Audiences.Should().Equal(ProfessionalTokens.Audience);
    }

    [Fact]
    public async Task A_forged_signature_is_refused()
    {
        using var rsa = RSA.Create(2048);
        // Same issuer, audience and key id as the real issuer's tokens: only the signature differs.
        var forged = new RsaSecurityKey(rsa) { KeyId = Issuer.SigningKey.KeyId };

        await ShouldBeUnauthorizedAsync(Token(forged, SecurityAlgorithms.RsaSha256));
    }

    [Fact]
    public async Task A_token_is_accepted_until_expiry_plus_skew_on_the_silo_clock_then_refused()
    {
        var rpps = ProfessionalTokens.NewRpps();
        var issued = await Silo.TokenAsync(rpps, lifetimeSeconds: 60);
        using var professional = Silo.WithBearer(issued.AccessToken);

        Silo.Clock.Advance(TimeSpan.FromSeconds(90));
        (await professional.GetAsync(Me)).StatusCode.Should().Be(HttpStatusCode.OK, "past expiry but within the one-minute skew");

        Silo.Clock.Advance(TimeSpan.FromSeconds(31));
        await ShouldBeUnauthorizedAsync(issued.AccessToken);
    }

    [Fact]
    public async Task A_token_not_yet_valid_on_the_silo_clock_is_refused()
    {
        var token = Token(Issuer.SigningKey, SecurityAlgorithms.RsaSha256, notBefore: Silo.Clock.GetUtcNow().AddMinutes(5));

        await ShouldBeUnauthorizedAsync(token);
    }

    [Fact]
    public async Task A_token_for_another_audience_is_refused()
    {
        var issued = await Silo.TokenAsync(ProfessionalTokens.NewRpps(), audience: "some-other-service");

        await ShouldBeUnauthorizedAsync(issued.AccessToken);
    }

    [Fact]
    public async Task A_token_from_another_issuer_is_refused_even_when_signed_by_a_trusted_key()
    {
        await ShouldBeUnauthorizedAsync(Token(Issuer.SigningKey, SecurityAlgorithms.RsaSha256, issuer: "https://elsewhere.invalid"));
    }

    [Fact]
    public async Task An_unsigned_alg_none_token_is_refused()
    {
        var now = Silo.Clock.GetUtcNow().ToUnixTimeSeconds();
        var header = Base64Url("""{"alg":"none","typ":"JWT"}""");
        var payload = Base64Url(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["iss"] = Issuer.Issuer,
            ["aud"] = ProfessionalTokens.Audience,
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + 600,
            ["SubjectNameID"] = "8" + ProfessionalTokens.NewRpps(),
        }));

        await ShouldBeUnauthorizedAsync($"{header}.{payload}.");
    }

    [Fact]
    public async Task An_HS256_token_signed_with_a_guessable_secret_is_refused()
    {
        var secret = new SymmetricSecurityKey(Encoding.UTF8.GetBytes("secret-secret-secret-secret-secret"));

        await ShouldBeUnauthorizedAsync(Token(secret, SecurityAlgorithms.HmacSha256));
    }

    [Fact]
    public async Task An_HS256_token_keyed_with_the_issuer_public_key_is_refused()
    {
        // The classic confusion: the public key, which anyone has, used as an HMAC secret.
        var publicKey = Issuer.SigningKey.Rsa.ExportSubjectPublicKeyInfo();

        await ShouldBeUnauthorizedAsync(Token(new SymmetricSecurityKey(publicKey), SecurityAlgorithms.HmacSha256));
    }

    [Theory]
    [InlineData("not-a-jwt-at-all")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.bm90LWEtc2lnbmF0dXJl")]
    public async Task A_malformed_token_is_refused(string token)
    {
        await ShouldBeUnauthorizedAsync(token);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("81234567890")]
    [InlineData("not-an-rpps")]
    public async Task A_token_without_a_valid_RPPS_is_refused(string? subjectNameId)
    {
        var claims = new Dictionary<string, object> { ["sub"] = "someone" };
        if (subjectNameId is not null)
        {
            claims["SubjectNameID"] = subjectNameId;
        }

        await ShouldBeUnauthorizedAsync(Issuer.Sign(claims).AccessToken);
    }

    [Fact]
    public async Task Software_acting_for_a_professional_is_that_professional_via_the_software()
    {
        var rpps = ProfessionalTokens.NewRpps();
        using var lab = Silo.SoftwareFor("8" + rpps);

        var me = await MeAsync(lab);

        me.GetProperty("rpps").GetString().Should().Be(rpps);
        me.GetProperty("via").GetString().Should().Be("lab-system");
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("81234567890")]
    [InlineData("not-an-rpps")]
    public async Task Software_naming_a_malformed_professional_is_refused_outright(string actingFor)
    {
        using var lab = Silo.SoftwareFor(actingFor);

        (await lab.GetAsync(Me)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        // Not even as the bare client: no partial identity.
        using var release = await lab.PostAsJsonAsync($"/api/clients/documents/{Guid.NewGuid()}/release", new { });
        release.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Software_naming_two_professionals_at_once_is_refused()
    {
        using var lab = Silo.Software();
        lab.DefaultRequestHeaders.Add(BearerAuthenticationHandler.ActingForHeader, [ProfessionalTokens.NewRpps(), ProfessionalTokens.NewRpps()]);

        (await lab.GetAsync(Me)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public void The_caller_for_software_acting_for_someone_and_for_no_one()
    {
        var rpps = ProfessionalTokens.NewRpps();

        var acting = Principal(new("name", "lab-system"), new(ClaimTypesRole, Roles.Client), new(ClaimTypesRole, Roles.Professional), new(Roles.RppsClaim, rpps), new(Roles.ViaClaim, "lab-system"));
        var bare = Principal(new("name", "lab-system"), new(ClaimTypesRole, Roles.Client));

        acting.ToCaller().Should().Be(Caller.Professional(Rpps.Parse(rpps), "lab-system"));
        acting.ToCaller().Via.Should().Be("lab-system");
        bare.ToCaller().Should().Be(Caller.Client("lab-system"));
    }

    [Fact]
    public async Task Patients_operators_and_software_acting_for_no_one_are_forbidden_on_professional_routes()
    {
        var person = NewPerson();
        await EnrolAsync(person);
        (await ActivateAsync(person, CodeOf(person))).StatusCode.Should().Be(HttpStatusCode.OK);
        using var patient = await LoginAsync(person.Email!);
        using var operatorClient = Silo.Operator();
        using var lab = Silo.Software();

        (await patient.GetAsync(Me)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await operatorClient.GetAsync(Me)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await lab.GetAsync(Me)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await Client.GetAsync(Me)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await patient.GetAsync("/api/me")).StatusCode.Should().Be(HttpStatusCode.OK, "patients' sessions still work beside the professional scheme");
    }

    [Fact]
    public async Task A_refused_token_leaves_nothing_of_itself_in_the_logs()
    {
        var capture = new LogCapture();
        using var silo = Silo.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(capture).AddFilter<LogCapture>(null, LogLevel.Trace)));
        using var rsa = RSA.Create(2048);
        var forged = Token(new RsaSecurityKey(rsa), SecurityAlgorithms.RsaSha256);
        using var client = silo.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", forged);

        (await client.GetAsync(Me)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        capture.Lines.Should().Contain(line => line.Contains(Roles.ProfessionalJwtScheme, StringComparison.Ordinal), "the refusal itself is logged");
        var segments = forged.Split('.');
        capture.Lines.Should().NotContain(line => segments.Any(segment => line.Contains(segment, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_test_issuer_refuses_a_malformed_request()
    {
        using var bad = await Client.PostAsJsonAsync("/dev/test-issuer/token", new { rpps = "12345" });
        await ShouldBeProblemAsync(bad, HttpStatusCode.BadRequest, "invalid-request");
        // Eleven digits are not enough: the refusal names the check digit, or a caller is left guessing.
        var valid = ProfessionalTokens.NewRpps();
        var wrongCheck = valid[..10] + (char)('0' + ((valid[10] - '0' + 1) % 10));
        using var unchecked11 = await Client.PostAsJsonAsync("/dev/test-issuer/token", new { rpps = wrongCheck });
        (await ShouldBeProblemAsync(unchecked11, HttpStatusCode.BadRequest, "invalid-request")).Detail.Should().Contain("Luhn check digit");
        using var tooLong = await Client.PostAsJsonAsync("/dev/test-issuer/token", new { rpps = ProfessionalTokens.NewRpps(), lifetimeSeconds = 3601 });
        await ShouldBeProblemAsync(tooLong, HttpStatusCode.BadRequest, "invalid-request");
    }

    [Fact]
    public async Task The_test_issuer_does_not_exist_when_disabled()
    {
        using var silo = Silo.WithWebHostBuilder(b => b.UseSetting("Professionals:TestIssuer:Enabled", "false"));
        using var client = silo.CreateClient();

        using var response = await client.PostAsJsonAsync("/dev/test-issuer/token", new { rpps = ProfessionalTokens.NewRpps() });

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        silo.Services.GetService<TestIssuer>().Should().BeNull();
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void A_production_or_staging_host_with_the_test_issuer_enabled_refuses_to_start(string environment)
    {
        using var host = Silo.WithWebHostBuilder(b => b.UseEnvironment(environment));

        var start = () => host.CreateClient();

        start.Should().Throw<Exception>().Where(e => e.ToString().Contains("Professionals:TestIssuer:Enabled is true outside the Development and Testing environments", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_production_host_without_the_test_issuer_starts_and_has_no_issuer_route()
    {
        using var production = Silo.WithWebHostBuilder(b => b.UseEnvironment("Production").UseSetting("Professionals:TestIssuer:Enabled", "false"));
        using var client = production.CreateClient();

        (await client.GetAsync("/health")).StatusCode.Should().Be(HttpStatusCode.OK);
        using var response = await client.PostAsJsonAsync("/dev/test-issuer/token", new { rpps = ProfessionalTokens.NewRpps() });
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_configured_issuer_is_trusted_for_its_own_keys_only()
    {
        const string Real = "https://wallet.esw.esante.gouv.fr/auth/realms/esante-wallet";
        using var rsa = RSA.Create(2048);
        var key = new RsaSecurityKey(rsa) { KeyId = "psc-1" };
        var p = rsa.ExportParameters(false);
        var jwks = JsonSerializer.Serialize(new { keys = new[] { new { kty = "RSA", use = "sig", kid = "psc-1", alg = "RS256", n = Base64UrlEncoder.Encode(p.Modulus), e = Base64UrlEncoder.Encode(p.Exponent) } } });
        using var silo = Silo.WithWebHostBuilder(b => b.UseSetting("Professionals:Oidc:Issuer", Real).UseSetting("Professionals:Oidc:SigningKeys", jwks));
        var issuer = silo.Services.GetRequiredService<TestIssuer>();

        async Task<HttpStatusCode> StatusAsync(string token)
        {
            using var client = silo.CreateClient();
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
            using var response = await client.GetAsync(Me);
            return response.StatusCode;
        }

        (await StatusAsync(Token(key, SecurityAlgorithms.RsaSha256, issuer: Real))).Should().Be(HttpStatusCode.OK);
        (await StatusAsync(Token(issuer.SigningKey, SecurityAlgorithms.RsaSha256, issuer: Real))).Should().Be(HttpStatusCode.Unauthorized, "the test issuer's key cannot sign as the real issuer");
        (await StatusAsync(Token(key, SecurityAlgorithms.RsaSha256, issuer: issuer.Issuer))).Should().Be(HttpStatusCode.Unauthorized, "nor the real key as the test issuer");
    }

    [Fact]
    public void Signing_keys_that_are_not_a_key_set_stop_the_host_at_startup()
    {
        using var silo = Silo.WithWebHostBuilder(b => b.UseSetting("Professionals:Oidc:SigningKeys", "-----BEGIN PUBLIC KEY-----"));

        var start = () => silo.CreateClient();

        start.Should().Throw<Exception>().Where(e => e.ToString().Contains("Professionals:Oidc:SigningKeys", StringComparison.Ordinal));
    }

    private const string ClaimTypesRole = System.Security.Claims.ClaimTypes.Role;

    private static System.Security.Claims.ClaimsPrincipal Principal(params System.Security.Claims.Claim[] claims) =>
        new(new System.Security.Claims.ClaimsIdentity(claims, "test", "name", ClaimTypesRole));

    private async Task<JsonElement> MeAsync(HttpClient client)
    {
        using var response = await client.GetAsync(Me);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task ShouldBeUnauthorizedAsync(string token)
    {
        using var client = Silo.WithBearer(token);
        using var response = await client.GetAsync(Me);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, body);
        body.Should().NotContain(token);
    }

    /// <summary>A token shaped like the test issuer's (valid RPPS, issuer, audience, times), signed as asked.</summary>
    private string Token(SecurityKey key, string algorithm, string? issuer = null, DateTimeOffset? notBefore = null)
    {
        var now = Silo.Clock.GetUtcNow();
        var start = notBefore ?? now;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer.Issuer,
            Audience = ProfessionalTokens.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = start.UtcDateTime,
            Expires = start.AddMinutes(10).UtcDateTime,
            Claims = new Dictionary<string, object> { ["SubjectNameID"] = "8" + ProfessionalTokens.NewRpps() },
            SigningCredentials = new SigningCredentials(key, algorithm),
        });
    }

    private static string Base64Url(string json) => Base64UrlEncoder.Encode(json);
}
