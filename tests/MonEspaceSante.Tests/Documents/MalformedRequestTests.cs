using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using MonEspaceSante.Messaging;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Documents;

/// <summary>
/// Requests a client can get wrong before any rule applies: a multipart body whose part headers
/// cannot be read, and query-string values of the wrong kind. Each gets a 400 problem of its own
/// type that says what was expected, and changes nothing.
/// </summary>
public sealed class MalformedRequestTests : AccessTestBase
{
    private const string Boundary = "----mes-boundary-7d9a";

    protected override bool AuthoriseLab => true;

    public static TheoryData<string> Malformations => new()
    {
        "line break in a quoted file name",
        "header line without a colon",
        "junk header in the metadata part",
    };

    [Theory]
    [MemberData(nameof(Malformations))]
    public async Task A_multipart_upload_whose_part_headers_cannot_be_read_is_refused_and_stores_nothing(string malformation)
    {
        await AddProfessionalsAsync(Physician);
        var (person, patient) = await ActivePatientAsync();
        await GrantAsync(patient, Physician);
        using var pro = await ProAsync(Physician);
        var patientId = await FindOkAsync(pro, person);
        using var lab = await LabSoftwareAsync();
        var files = ContentFileCount();

        var own = new { category = "Vaccination", title = "Carnet" };
        var professional = new { typeCode = "11488-4", title = "Compte rendu" };
        var software = LabReport(person);
        foreach (var (client, path, metadata) in new (HttpClient, string, object)[]
        {
            (patient, "/api/me/documents", own),
            (pro, $"/api/pro/patients/{patientId}/documents", professional),
            (lab, "/api/clients/documents", software),
        })
        {
            using var response = await client.PostAsync(path, Malformed(malformation, "metadata", System.Text.Json.JsonSerializer.Serialize(metadata, Json.Options), "content"));
            var (_, detail) = await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, "malformed-multipart");
            detail.Should().Contain("header", path);
        }

        ContentFileCount().Should().Be(files, "nothing was written to the content store");
        (await ListAsync(patient)).Total.Should().Be(0, "no document was recorded");
        (await ListAsync(patient)).Items.Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(Malformations))]
    public async Task A_message_whose_part_headers_cannot_be_read_is_refused_and_sends_nothing(string malformation)
    {
        await AddProfessionalsAsync(Physician);
        var (_, patient) = await ActivePatientAsync();
        await GrantAsync(patient, Physician);
        var address = (await patient.GetFromJsonAsync<MailboxInfo>("/api/me/mailbox", Json.Options))!.Address;
        using var doctor = await ProAsync(Physician);
        var files = ContentFileCount();

        var message = System.Text.Json.JsonSerializer.Serialize(new { to = new[] { address }, subject = "Résultats", body = "Voici vos résultats." }, Json.Options);
        using var response = await doctor.PostAsync("/api/pro/mailbox/messages", Malformed(malformation, "message", message, "attachment"));
        await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, "malformed-multipart");

        ContentFileCount().Should().Be(files);
        (await patient.GetFromJsonAsync<MailboxInfo>("/api/me/mailbox", Json.Options))!.Unread.Should().Be(0, "no message was delivered");
        (await doctor.GetFromJsonAsync<MessagePage>("/api/pro/mailbox/messages?folder=Sent", Json.Options))!.Total.Should().Be(0);
    }

    [Theory]
    [InlineData("/api/me/documents?status=Bogus", "status must be one of: Current, Superseded, Deleted.")]
    [InlineData("/api/me/documents?category=Unknown", "category must be one of: ")]
    [InlineData("/api/me/documents?from=30-10-2026", "from must be a date (YYYY-MM-DD).")]
    [InlineData("/api/me/documents?limit=lots", "limit must be a whole number.")]
    [InlineData("/api/me/access-history?emergency=maybe", "emergency must be true or false.")]
    [InlineData("/api/me/access-history?from=yesterday", "from must be a date and time (ISO 8601")]
    public async Task A_query_value_of_the_wrong_kind_names_the_parameter_and_what_it_accepts(string url, string expected)
    {
        var (_, patient) = await ActivePatientAsync();
        using var response = await patient.GetAsync(url);
        var (_, detail) = await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, "invalid-request");
        detail.Should().StartWith(expected.Split(':')[0]).And.Contain(expected.TrimEnd('.'));
        detail.Should().NotContainAny(["Nullable", "System.", "Failed to bind", "Bogus", "lots"], "the detail is in the API's terms and does not echo the value");
    }

    /// <summary>
    /// A two-part body, the second part carrying content, with its headers broken as
    /// <paramref name="malformation"/> says. Written by hand: HttpClient's own multipart content
    /// refuses to produce such headers.
    /// </summary>
    private static ByteArrayContent Malformed(string malformation, string firstPart, string json, string secondPart)
    {
        var firstHeaders = $"Content-Disposition: form-data; name=\"{firstPart}\"\r\nContent-Type: application/json\r\n";
        var secondHeaders = $"Content-Disposition: form-data; name=\"{secondPart}\"; filename=\"resultat.pdf\"\r\nContent-Type: application/pdf\r\n";
        switch (malformation)
        {
            case "line break in a quoted file name":
                secondHeaders = $"Content-Disposition: form-data; name=\"{secondPart}\"; filename=\"a\r\nb.pdf\"\r\nContent-Type: application/pdf\r\n";
                break;
            case "header line without a colon":
                secondHeaders += "this is not a header\r\n";
                break;
            default:
                firstHeaders += "X-Junk\r\n";
                break;
        }

        var body = new MemoryStream();
        void Write(string text) => body.Write(Encoding.UTF8.GetBytes(text));
        Write($"--{Boundary}\r\n{firstHeaders}\r\n{json}\r\n");
        Write($"--{Boundary}\r\n{secondHeaders}\r\n");
        body.Write(Samples.Pdf());
        Write($"\r\n--{Boundary}--\r\n");
        var content = new ByteArrayContent(body.ToArray());
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={Boundary}");
        return content;
    }
}
