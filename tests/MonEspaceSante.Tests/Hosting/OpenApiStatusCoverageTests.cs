using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using MonEspaceSante.Tests.Infrastructure;
using Xunit.Abstractions;

namespace MonEspaceSante.Tests.Hosting;

/// <summary>
/// The OpenAPI document declares what the routes really answer: each operation that takes a body
/// is called with a body of the wrong media type, one without a media type and one over every size
/// limit, by a caller its security lets through, and whatever it answers must be a status that
/// operation declares. On Kestrel, because the size limits are the server's.
/// </summary>
public sealed partial class OpenApiStatusCoverageTests(ITestOutputHelper output) : AccessTestBase
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    /// <summary>Past every limit a route sets (the largest, the enrolment import's, is 8 GiB). Never sent: see <see cref="OversizedContent"/>.</summary>
    private const long OversizedLength = 16L * 1024 * 1024 * 1024;

    protected override bool OverKestrel => true;

    [Fact]
    public async Task Every_status_a_wrong_media_type_or_an_oversized_body_gets_is_declared()
    {
        var document = await DocumentAsync();
        await AddProfessionalsAsync(Physician);
        var (_, activePatient) = await ActivePatientAsync();
        using var patient = activePatient;
        using var professional = await ProAsync(Physician);
        using var software = Silo.Software();
        using var @operator = Silo.Operator();
        var credentials = new Dictionary<string, AuthenticationHeaderValue?>(StringComparer.Ordinal)
        {
            ["patientSession"] = patient.DefaultRequestHeaders.Authorization,
            ["professionalToken"] = professional.DefaultRequestHeaders.Authorization,
            ["softwareKey"] = software.DefaultRequestHeaders.Authorization,
            ["operatorKey"] = @operator.DefaultRequestHeaders.Authorization,
        };

        // The client waits for the server's 100 Continue before it sends a body: an oversized
        // body is refused on its declared length, so it is never sent at all.
        using var client = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromMinutes(2) }) { BaseAddress = new Uri(Silo.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First()) };
        var withBody = Operations(document).Where(o => o.Operation.TryGetProperty("requestBody", out _)).ToList();
        withBody.Should().HaveCountGreaterThan(40, "every route that reads a body declares it");

        var undeclared = new List<string>();
        var answered = new List<(string What, int Status)>();
        foreach (var (path, method, operation) in withBody)
        {
            var declared = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
            var mediaType = operation.GetProperty("requestBody").GetProperty("content").EnumerateObject().First().Name;
            var attempts = new (string What, Func<HttpContent> Body)[]
            {
                ("a text/plain body", () => new StringContent("not what this route reads", Encoding.UTF8, "text/plain")),
                // Routing refuses a media type no endpoint accepts; a body without one reaches the binder or reader.
                ("a body without a media type", () => new ByteArrayContent("{}"u8.ToArray())),
                ($"a {mediaType} body over the size limit", () => new OversizedContent(mediaType)),
            };
            foreach (var (what, body) in attempts)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), Url(path, operation)) { Content = body() };
                request.Headers.ExpectContinue = true;
                request.Headers.Authorization = Caller(operation, credentials);
                using var response = await client.SendAsync(request);
                var status = (int)response.StatusCode;
                var where = $"{method.ToUpperInvariant()} {path} with {what}: {status}";
                output.WriteLine(where);
                answered.Add((what, status));
                if (!declared.Contains(status.ToString(CultureInfo.InvariantCulture)))
                {
                    undeclared.Add($"{where}, declared {string.Join(", ", declared.Order(StringComparer.Ordinal))}");
                }

                if (status >= 500)
                {
                    undeclared.Add($"{where}: a server error ({await response.Content.ReadAsStringAsync()})");
                }
                else if (status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                {
                    undeclared.Add($"{where}: not problem details ({response.Content.Headers.ContentType})");
                }
                else if (status is StatusCodes.Status413PayloadTooLarge or StatusCodes.Status415UnsupportedMediaType)
                {
                    // One status, one problem type, whether routing, the binder, the server or a reader answered.
                    var type = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("type").GetString();
                    var expected = "urn:monespacesante:problem:" + (status == StatusCodes.Status413PayloadTooLarge ? "content-too-large" : "unsupported-media-type");
                    if (type != expected)
                    {
                        undeclared.Add($"{where}: typed {type}, not {expected}");
                    }
                }
            }
        }

        // One line each, all of them: a list assertion would show only the first few.
        string.Join(Environment.NewLine, undeclared).Should().BeEmpty();

        // The callers got past authentication and routing to the body on most routes: otherwise
        // this would only show that 401 and 404 are declared.
        answered.Count(a => a.What == "a text/plain body" && a.Status == StatusCodes.Status415UnsupportedMediaType).Should().BeGreaterThan(withBody.Count * 3 / 4);
        answered.Count(a => a.What.EndsWith("over the size limit", StringComparison.Ordinal) && a.Status == StatusCodes.Status413PayloadTooLarge).Should().BeGreaterThan(withBody.Count * 3 / 4);
    }

    [Fact]
    public async Task Every_declared_temporary_refusal_declares_retry_after_in_seconds()
    {
        var document = await DocumentAsync();
        var temporary = (
            from operation in Operations(document)
            from response in operation.Operation.GetProperty("responses").EnumerateObject()
            where response.Name is "423" or "429" or "503"
            select (Where: $"{response.Name} on {operation.Method} {operation.Path}", Response: response.Value)).ToList();
        temporary.Should().HaveCountGreaterThan(100);
        temporary.Select(t => t.Where).Should().Contain(["423 on post /api/auth/login", "429 on post /api/auth/login", "503 on get /health"]);
        temporary.Where(t => !(t.Response.TryGetProperty("headers", out var headers)
                && headers.TryGetProperty("Retry-After", out var retryAfter)
                && retryAfter.TryGetProperty("schema", out var schema)
                && schema.TryGetProperty("type", out var type) && type.GetString() == "integer"))
            .Select(t => t.Where).Should().BeEmpty("a temporary refusal says when to retry, in seconds");
    }

    private async Task<JsonElement> DocumentAsync()
    {
        using var response = await Client.GetAsync("/openapi/v1.json");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.Clone();
    }

    private static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations(JsonElement document) =>
        from path in document.GetProperty("paths").EnumerateObject()
        from method in path.Value.EnumerateObject()
        where Methods.Contains(method.Name)
        select (path.Name, method.Name, method.Value);

    /// <summary>The path with its parameters filled: fresh ids, a directory professional's RPPS; required query parameters too.</summary>
    private static string Url(string path, JsonElement operation)
    {
        var parameters = operation.TryGetProperty("parameters", out var list) ? list.EnumerateArray().ToList() : [];
        string ValueOf(JsonElement parameter)
        {
            var name = parameter.GetProperty("name").GetString()!;
            var schema = parameter.TryGetProperty("schema", out var s) ? s : default;
            var format = schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("format", out var f) ? f.GetString() : null;
            var type = schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            return format == "uuid" ? Guid.NewGuid().ToString()
                : type == "integer" ? "0"
                : name.Contains("rpps", StringComparison.OrdinalIgnoreCase) ? Physician.Rpps
                : throw new InvalidOperationException($"No test value for the parameter '{name}' of {path}.");
        }

        var url = PathParameter().Replace(path, m => ValueOf(parameters.Single(p => p.GetProperty("name").GetString() == m.Groups[1].Value && p.GetProperty("in").GetString() == "path")));
        var query = parameters.Where(p => p.GetProperty("in").GetString() == "query" && p.TryGetProperty("required", out var r) && r.GetBoolean())
            .Select(p => $"{p.GetProperty("name").GetString()}={Uri.EscapeDataString(ValueOf(p))}").ToList();
        return query.Count == 0 ? url : url + "?" + string.Join('&', query);
    }

    /// <summary>A caller the operation's security lets through: the first scheme it lists, none on an open route.</summary>
    private static AuthenticationHeaderValue? Caller(JsonElement operation, Dictionary<string, AuthenticationHeaderValue?> credentials) =>
        operation.TryGetProperty("security", out var security) && security.GetArrayLength() > 0
            ? credentials[security.EnumerateArray().First().EnumerateObject().First().Name]
            : null;

    [GeneratedRegex(@"\{([^}:]+)(?::[^}]*)?\}", RegexOptions.CultureInvariant)]
    private static partial Regex PathParameter();

    /// <summary>
    /// A body that states a length over every limit. Sent only if the server asks for it (100
    /// Continue), which it must not; then it fails the request after a little, rather than send 16 GiB.
    /// </summary>
    private sealed class OversizedContent : HttpContent
    {
        public OversizedContent(string mediaType)
        {
            Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType.StartsWith("multipart/", StringComparison.Ordinal) ? mediaType + "; boundary=oversized" : mediaType);
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(new byte[64 * 1024]);
            throw new InvalidOperationException("The server asked for a body longer than any limit instead of refusing it on its length.");
        }

        protected override bool TryComputeLength(out long length)
        {
            length = OversizedLength;
            return true;
        }
    }
}
