using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Hosting;

/// <summary>One silo on the embedded database, and the OpenAPI document it serves.</summary>
public sealed class OpenApiDocumentFixture : IAsyncLifetime
{
    private readonly TempFolder folder = new();
    private SiloFactory silo = null!;

    public JsonElement Document { get; private set; }

    public async Task InitializeAsync()
    {
        silo = new SiloFactory(null, Path.Combine(folder.Path, "silo-a"), new ManualTimeProvider(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero)));
        using var client = silo.CreateClient();
        using var response = await client.GetAsync("/openapi/v1.json");
        response.IsSuccessStatusCode.Should().BeTrue();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Document = json.RootElement.Clone();
    }

    public async Task DisposeAsync()
    {
        await silo.DisposeAsync();
        folder.Dispose();
    }
}

/// <summary>
/// The OpenAPI document tells clients how to authenticate, what each operation does and which
/// problems it can answer; these read it as a client generator would.
/// </summary>
public sealed class OpenApiDocumentTests(OpenApiDocumentFixture fixture) : IClassFixture<OpenApiDocumentFixture>
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options"];

    private JsonElement Document => fixture.Document;

    private IEnumerable<(string Path, string Method, JsonElement Operation)> Operations() =>
        from path in Document.GetProperty("paths").EnumerateObject()
        from method in path.Value.EnumerateObject()
        where Methods.Contains(method.Name)
        select (path.Name, method.Name, method.Value);

    private JsonElement Operation(string path, string method) => Document.GetProperty("paths").GetProperty(path).GetProperty(method);

    private static IReadOnlyList<string> Statuses(JsonElement operation) =>
        [.. operation.GetProperty("responses").EnumerateObject().Select(r => r.Name)];

    /// <summary>Each alternative requirement as the set of scheme names it lists.</summary>
    private static IReadOnlyList<string> Schemes(JsonElement operation) =>
        operation.TryGetProperty("security", out var security)
            ? [.. security.EnumerateArray().SelectMany(requirement => requirement.EnumerateObject().Select(scheme => scheme.Name))]
            : [];

    [Fact]
    public void It_declares_the_five_security_schemes()
    {
        var schemes = Document.GetProperty("components").GetProperty("securitySchemes");
        schemes.EnumerateObject().Select(s => s.Name).Should().BeEquivalentTo("patientSession", "professionalToken", "softwareKey", "operatorKey", "realtimeTicket");
        foreach (var bearer in new[] { "patientSession", "professionalToken", "softwareKey", "operatorKey" })
        {
            schemes.GetProperty(bearer).GetProperty("type").GetString().Should().Be("http", bearer);
            schemes.GetProperty(bearer).GetProperty("scheme").GetString().Should().Be("bearer", bearer);
        }

        schemes.GetProperty("professionalToken").GetProperty("bearerFormat").GetString().Should().Be("JWT");
        schemes.GetProperty("softwareKey").GetProperty("description").GetString().Should().Contain("X-Acting-For");
        var ticket = schemes.GetProperty("realtimeTicket");
        ticket.GetProperty("type").GetString().Should().Be("apiKey");
        ticket.GetProperty("in").GetString().Should().Be("query");
        ticket.GetProperty("name").GetString().Should().Be("access_token");
    }

    [Fact]
    public void Every_operation_has_a_summary()
    {
        var operations = Operations().ToList();
        operations.Should().HaveCountGreaterThan(60, "every route of the API is in the document");
        operations.Where(o => !o.Operation.TryGetProperty("summary", out var summary) || string.IsNullOrWhiteSpace(summary.GetString()))
            .Select(o => $"{o.Method} {o.Path}").Should().BeEmpty();
    }

    [Fact]
    public void Every_operation_still_declares_its_success_response()
    {
        // Declaring problem responses must not hide the success one the generator infers.
        Operations().Where(o => !Statuses(o.Operation).Any(s => s.StartsWith('2')))
            .Select(o => $"{o.Method} {o.Path}").Should().BeEmpty();
    }

    [Fact]
    public void Anonymous_routes_have_no_security_and_protected_ones_name_their_schemes()
    {
        Schemes(Operation("/health", "get")).Should().BeEmpty();
        Schemes(Operation("/api/activation", "post")).Should().BeEmpty();
        Schemes(Operation("/api/me/documents", "get")).Should().Equal("patientSession");
        Schemes(Operation("/api/pro/patients/search", "post")).Should().BeEquivalentTo("professionalToken", "softwareKey");
        Schemes(Operation("/api/clients/documents", "post")).Should().Equal("softwareKey");
        Schemes(Operation("/api/operator/enrolments", "post")).Should().Equal("operatorKey");
        Schemes(Operation("/api/realtime/stream", "get")).Should().BeEquivalentTo("patientSession", "professionalToken", "softwareKey", "realtimeTicket");
        // Each scheme is an alternative of its own: any one of them is enough.
        Operation("/api/pro/patients/search", "post").GetProperty("security").GetArrayLength().Should().Be(2);
    }

    [Fact]
    public void Routes_document_the_acting_for_and_child_space_headers()
    {
        static IEnumerable<string> Headers(JsonElement operation) =>
            operation.TryGetProperty("parameters", out var parameters)
                ? parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "header").Select(p => p.GetProperty("name").GetString()!)
                : [];

        Headers(Operation("/api/pro/patients/search", "post")).Should().Contain("X-Acting-For");
        Headers(Operation("/api/me/documents", "get")).Should().NotContain("X-Acting-For");

        // A guardian names the child's space on the patient's routes, not on the list of children itself.
        Headers(Operation("/api/me/documents", "get")).Should().Contain("X-Child-Space");
        Headers(Operation("/api/me/children", "post")).Should().NotContain("X-Child-Space");
        Headers(Operation("/api/pro/patients/search", "post")).Should().NotContain("X-Child-Space");
    }

    [Fact]
    public void Routes_list_the_problems_they_can_answer()
    {
        Statuses(Operation("/api/me/documents/{id}/content", "get")).Should().Contain(["200", "206", "404", "416"]);
        Statuses(Operation("/api/me/documents", "post")).Should().Contain(["400", "404", "409", "413", "415", "422"]);
        Statuses(Operation("/api/pro/patients/search", "post")).Should().Contain(["400", "404", "429"]);
        Statuses(Operation("/api/auth/login", "post")).Should().Contain(["400", "401", "423"]);
        Statuses(Operation("/api/operator/enrolments", "post")).Should().Contain(["413", "415", "422"]);
    }

    [Fact]
    public void Rate_limited_routes_list_429()
    {
        Statuses(Operation("/api/activation", "post")).Should().Contain("429");
        Statuses(Operation("/api/me/password", "post")).Should().Contain("429");
        Statuses(Operation("/api/me/alerts", "put")).Should().NotContain("429", "this route is not rate limited");
    }

    [Fact]
    public void Protected_routes_list_401_and_403_and_open_ones_do_not()
    {
        var protectedOperations = Operations().Where(o => Schemes(o.Operation).Count > 0).ToList();
        protectedOperations.Should().NotBeEmpty();
        protectedOperations.Where(o => !Statuses(o.Operation).Contains("401")).Select(o => $"{o.Method} {o.Path}").Should().BeEmpty();
        protectedOperations.Where(o => !Statuses(o.Operation).Contains("403")).Select(o => $"{o.Method} {o.Path}").Should().BeEmpty();
        Statuses(Operation("/health", "get")).Should().NotContain("401");
        Statuses(Operation("/api/activation", "post")).Should().NotContain(["401", "403"]);
    }

    [Fact]
    public void Every_api_route_that_needs_storage_lists_503_with_retry_after()
    {
        var api = Operations().Where(o => o.Path.StartsWith("/api/", StringComparison.Ordinal)).ToList();
        api.Should().NotBeEmpty();
        // Who the API takes a professional for comes from the token alone.
        var storageFree = new[] { "/api/pro/me" };
        api.Where(o => !storageFree.Contains(o.Path) && !Statuses(o.Operation).Contains("503")).Select(o => $"{o.Method} {o.Path}").Should().BeEmpty();
        Statuses(Operation("/api/pro/me", "get")).Should().NotContain("503");
        Operation("/api/me/documents", "get").GetProperty("responses").GetProperty("503").GetProperty("headers").TryGetProperty("Retry-After", out _).Should().BeTrue();
    }

    [Fact]
    public void Problem_responses_are_problem_details()
    {
        var problems = (
            from operation in Operations()
            from response in operation.Operation.GetProperty("responses").EnumerateObject()
            where int.Parse(response.Name, System.Globalization.CultureInfo.InvariantCulture) >= 400
            // /health's 503 is its own report, not a problem: load balancers read its status.
            where operation.Path != "/health"
            select (Where: $"{response.Name} on {operation.Method} {operation.Path}", Response: response.Value)).ToList();
        problems.Should().HaveCountGreaterThan(200);
        foreach (var (where, response) in problems)
        {
            var content = response.GetProperty("content");
            content.EnumerateObject().Select(c => c.Name).Should().Equal(["application/problem+json"], where);
            content.GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString()
                .Should().Be("#/components/schemas/ProblemDetails", where);
            // The API's wording, not the generator's bare reason phrase.
            response.GetProperty("description").GetString().Should().NotBeNullOrWhiteSpace(where)
                .And.NotBe(ReasonPhrases.GetReasonPhrase(int.Parse(where[..3], System.Globalization.CultureInfo.InvariantCulture)), where);
        }

        Document.GetProperty("components").GetProperty("schemas").GetProperty("ProblemDetails").GetProperty("properties")
            .EnumerateObject().Select(p => p.Name).Should().Contain(["type", "title", "status", "detail"]);
    }
}
