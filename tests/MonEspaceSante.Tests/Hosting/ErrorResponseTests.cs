using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Hosting;

/// <summary>Errors a client meets outside the domain's own refusals: each is problem details, no-store, and says what to do.</summary>
public sealed class ErrorResponseTests : AccessTestBase
{
    [Fact]
    public async Task A_range_past_the_end_is_a_416_problem_that_states_the_length()
    {
        var (_, patient) = await ActivePatientAsync();
        var content = Samples.Text();
        var document = await UploadOkAsync(patient, new { category = "Other", title = "Note" }, content, "text/plain");

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/me/documents/{document.Id}/content");
        request.Headers.Range = new RangeHeaderValue(content.Length + 10, null);
        using var response = await patient.SendAsync(request);

        await ShouldBeProblemAsync(response, HttpStatusCode.RequestedRangeNotSatisfiable, "range-not-satisfiable");
        response.Content.Headers.ContentRange?.ToString().Should().Be($"bytes */{content.Length}");
        response.Content.Headers.ContentDisposition.Should().BeNull("the refusal is not the file");

        using var inside = new HttpRequestMessage(HttpMethod.Get, $"/api/me/documents/{document.Id}/content");
        inside.Headers.Range = new RangeHeaderValue(0, 3);
        using var partial = await patient.SendAsync(inside);
        partial.StatusCode.Should().Be(HttpStatusCode.PartialContent);
        (await partial.Content.ReadAsByteArrayAsync()).Should().Equal(content[..4]);
    }

    [Fact]
    public async Task An_unknown_route_is_a_problem_that_is_never_cached()
    {
        // Outside /api too: any error may echo part of the request. (A NUL in the path never
        // reaches the application: NginxProxyTests checks the proxy's answer to it.)
        await ShouldBeProblemAsync(await Client.GetAsync("/no-such-page"), HttpStatusCode.NotFound, "not-found");
        using var health = await Client.GetAsync("/health");
        health.StatusCode.Should().Be(HttpStatusCode.OK);
        health.Headers.CacheControl?.NoStore.Should().NotBe(true, "only errors and /api answers are no-store");
    }

    [Fact]
    public async Task A_request_without_a_valid_token_is_told_how_to_authenticate()
    {
        using var anonymous = await Client.GetAsync("/api/me");
        await ShouldBeProblemAsync(anonymous, HttpStatusCode.Unauthorized, "unauthenticated");
        anonymous.Headers.WwwAuthenticate.Should().ContainSingle().Which.Scheme.Should().Be("Bearer");
        anonymous.Headers.WwwAuthenticate.Single().Parameter.Should().BeNull();

        using var forged = Silo.CreateClient();
        forged.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-session-0123456789");
        using var refused = await forged.GetAsync("/api/me");
        await ShouldBeProblemAsync(refused, HttpStatusCode.Unauthorized, "unauthenticated");
        refused.Headers.WwwAuthenticate.Single().Parameter.Should().Be("error=\"invalid_token\"");
    }

    [Fact]
    public async Task Malformed_json_says_where_and_unknown_fields_are_refused_without_changing_anything()
    {
        var person = NewPerson();
        await EnrolAsync(person);
        var code = CodeOf(person);

        using var truncated = await Client.PostAsync("/api/activation", new StringContent("{\"code\": ", Encoding.UTF8, "application/json"));
        var (_, syntax) = await ShouldBeProblemAsync(truncated, HttpStatusCode.BadRequest, "invalid-request");
        syntax.Should().Be("The body is not valid JSON (line 1, position 10).");

        using var wrongType = await Client.PostAsync("/api/activation", new StringContent("{\"code\": 12}", Encoding.UTF8, "application/json"));
        (await ShouldBeProblemAsync(wrongType, HttpStatusCode.BadRequest, "invalid-request")).Detail.Should().StartWith("The value at '$.code' is not of the expected type");

        // A misspelt field: the activation must not go through as if it had not been sent.
        var body = JsonSerializer.SerializeToNode(ActivationBody(person, code))!.AsObject();
        body["emial"] = "typo@example.net";
        using var unknown = await Client.PostAsJsonAsync("/api/activation", body);
        var (_, field) = await ShouldBeProblemAsync(unknown, HttpStatusCode.BadRequest, "invalid-request");
        field.Should().StartWith("Unknown field 'emial'");
        field.Should().NotContain("MonEspaceSante", "our type names are not the client's business");

        (await ActivateAsync(person, code)).StatusCode.Should().Be(HttpStatusCode.OK, "the refused requests consumed nothing");

        var patient = await LoginAsync(person.Email!);
        using var upload = await UploadAsync(patient, new { category = "Other", title = "Note", maskedFromProfesionals = true }, Samples.Text(), "text/plain");
        (await ShouldBeProblemAsync(upload, HttpStatusCode.BadRequest, "invalid-request")).Detail.Should().Contain("'maskedFromProfesionals'");
        (await ListAsync(patient)).Total.Should().Be(0);
    }

    [Fact]
    public async Task Software_acting_for_no_one_is_told_to_name_the_professional()
    {
        await AddProfessionalsAsync(Physician);
        var (person, _) = await ActivePatientAsync();
        using var software = Silo.Software();

        using var search = await software.PostAsJsonAsync("/api/pro/patients/search", Search(person));
        await ShouldBeProblemAsync(search, HttpStatusCode.Forbidden, "acting-for-required");
        using var mailbox = await software.GetAsync("/api/pro/mailbox/messages");
        await ShouldBeProblemAsync(mailbox, HttpStatusCode.Forbidden, "acting-for-required");

        // A patient on a professional's route is simply forbidden: no hint about software.
        var (_, patient) = await ActivePatientAsync();
        await ShouldBeProblemAsync(await patient.PostAsJsonAsync("/api/pro/patients/search", Search(person)), HttpStatusCode.Forbidden, "forbidden");
    }
}
