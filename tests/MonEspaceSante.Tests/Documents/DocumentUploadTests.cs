using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using MonEspaceSante.Content;
using MonEspaceSante.Documents;
using MonEspaceSante.Storage;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Documents;

/// <summary>Uploads through the HTTP API: formats, refusals, limits, interruption, idempotency, replacement.</summary>
public sealed class DocumentUploadTests : DocumentTestBase
{
    private const int Limit = 300_000;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Documents:MaxSize"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    public static TheoryData<string, string> Formats => new()
    {
        { "pdf", "application/pdf" },
        { "jpeg", "image/jpeg" },
        { "png", "image/png" },
        { "text", "text/plain" },
        { "cda", "application/xml" },
        { "fhir", "application/fhir+json" },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Each_accepted_format_is_stored_encrypted_and_read_back(string sample, string contentType)
    {
        var (_, patient) = await ActivePatientAsync();
        var bytes = Samples.Of(sample);

        var document = await UploadOkAsync(patient, new { category = "ConsultationReport", title = "Mon document " + sample }, bytes, contentType);

        document.Size.Should().Be(bytes.Length);
        document.Author.Kind.Should().Be(AuthorKind.Patient);
        document.Tab.Should().Be(DocumentTab.Documents);
        document.TypeCode.Should().Be("11488-4");
        using var download = await patient.GetAsync($"/api/me/documents/{document.Id}/content");
        download.StatusCode.Should().Be(HttpStatusCode.OK);
        (await download.Content.ReadAsByteArrayAsync()).Should().Equal(bytes);
        download.Content.Headers.ContentType!.MediaType.Should().Be(document.ContentType.Split(';')[0]);
        download.Content.Headers.ContentDisposition!.DispositionType.Should().Be("attachment");
        download.Headers.CacheControl!.NoStore.Should().BeTrue();

        // What the store holds is ciphertext.
        var stored = Directory.GetFiles(ContentPath, "*", SearchOption.AllDirectories).Single();
        (await File.ReadAllBytesAsync(stored)).AsSpan().IndexOf(bytes.AsSpan(0, Math.Min(bytes.Length, 16))).Should().Be(-1);
    }

    [Theory]
    [InlineData("pdf", "image/png")]
    [InlineData("text", "application/pdf")]
    [InlineData("gif", "image/gif")]
    [InlineData("gif", null)]
    [InlineData("html", "text/html")]
    public async Task Content_that_is_not_what_it_claims_or_not_accepted_gets_415(string sample, string? contentType)
    {
        var (_, patient) = await ActivePatientAsync();
        var bytes = sample switch
        {
            "gif" => "GIF89a\u0001\u0000"u8.ToArray(),
            "html" => "<html><script>alert(1)</script></html>"u8.ToArray(),
            _ => Samples.Of(sample),
        };

        using var response = await UploadAsync(patient, new { category = "Other", title = "x" }, bytes, contentType);

        await ShouldBeProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported-format");
        (await ListAsync(patient)).Total.Should().Be(0);
        ContentFileCount().Should().Be(0);
    }

    [Fact]
    public async Task Empty_content_gets_400_and_too_large_gets_413_leaving_nothing()
    {
        var (_, patient) = await ActivePatientAsync();

        using (var empty = await UploadAsync(patient, new { category = "Other", title = "vide" }, [], "application/pdf"))
        {
            await ShouldBeProblemAsync(empty, HttpStatusCode.BadRequest, "empty-content");
        }

        using (var large = await UploadAsync(patient, new { category = "Other", title = "gros" }, Samples.LargePdf(Limit + 1), "application/pdf"))
        {
            await ShouldBeProblemAsync(large, HttpStatusCode.RequestEntityTooLarge, "content-too-large");
        }

        // Exactly at the limit is accepted.
        await UploadOkAsync(patient, new { category = "Other", title = "juste" }, Samples.LargePdf(Limit), "application/pdf");
        (await ListAsync(patient)).Total.Should().Be(1);
        ContentFileCount().Should().Be(1);
        (await OrphanCountAsync()).Should().Be(0);
    }

    [Fact]
    public async Task Metadata_over_64_KiB_gets_400_before_any_content_is_read_and_changes_nothing()
    {
        var (_, patient) = await ActivePatientAsync();

        using var response = await UploadAsync(patient, new { category = "Other", title = new string('a', 70 * 1024) }, Samples.Pdf(), "application/pdf");

        (await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, "invalid-request")).Detail.Should().Be("The metadata part is too large.");
        (await ListAsync(patient)).Total.Should().Be(0);
        ContentFileCount().Should().Be(0);
    }

    [Theory]
    [InlineData("{\"category\":\"Other\"}")]
    [InlineData("{\"category\":\"Other\",\"title\":\"\"}")]
    [InlineData("{\"category\":\"Nope\",\"title\":\"t\"}")]
    [InlineData("{\"typeCode\":\"11488-5\",\"title\":\"t\"}")]
    [InlineData("{\"category\":\"Other\",\"title\":\"t\",\"clinicalDate\":\"2099-01-01\"}")]
    [InlineData("{\"category\":\"Other\",\"title\":\"t\",\"hiddenFromPatient\":true}")]
    [InlineData("not json")]
    public async Task Malformed_metadata_gets_400_and_changes_nothing(string metadata)
    {
        var (_, patient) = await ActivePatientAsync();
        using var form = new MultipartFormDataContent
        {
            { new StringContent(metadata, System.Text.Encoding.UTF8, "application/json"), "metadata" },
            { new ByteArrayContent(Samples.Pdf()), "content", "a.pdf" },
        };

        using var response = await patient.PostAsync("/api/me/documents", form);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await ListAsync(patient)).Total.Should().Be(0);
        ContentFileCount().Should().Be(0);
    }

    [Theory]
    [InlineData("../../../../etc/passwd", "passwd")]
    [InlineData("..\\..\\win.ini", "win.ini")]
    [InlineData("bilan\r\nX-Injected: oui.pdf", "bilanX-Injected_ oui.pdf")]
    public async Task A_file_name_is_kept_as_a_safe_base_name_whether_in_the_metadata_or_the_part(string sent, string kept)
    {
        var (_, patient) = await ActivePatientAsync();
        var fromMetadata = await UploadOkAsync(patient, new { category = "Other", title = "Nom", fileName = sent }, Samples.Pdf(), "application/pdf");
        fromMetadata.FileName.Should().Be(kept);

        using var form = Samples.Upload(new { category = "Other", title = "Nom de la partie" }, Samples.Pdf(), "application/pdf");
        var part = form.Last();
        part.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"content\"", FileNameStar = sent };
        using var fromPart = await patient.PostAsync("/api/me/documents", form);
        fromPart.StatusCode.Should().Be(HttpStatusCode.Created, await fromPart.Content.ReadAsStringAsync());
        (await fromPart.Content.ReadFromJsonAsync<DocumentInfo>(Json.Options))!.FileName.Should().Be(kept);

        using var download = await patient.GetAsync($"/api/me/documents/{fromMetadata.Id}/content");
        download.Content.Headers.ContentDisposition!.FileNameStar.Should().Be(kept);
        (await ListAsync(patient)).Items.Select(d => d.FileName).Should().OnlyContain(name => name == kept);
    }

    [Fact]
    public async Task Not_multipart_gets_400()
    {
        var (_, patient) = await ActivePatientAsync();
        using var response = await patient.PostAsync("/api/me/documents", new ByteArrayContent(Samples.Pdf()));
        await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, "invalid-request");
    }

    [Fact]
    public async Task An_interrupted_upload_leaves_no_document_and_no_content()
    {
        var (_, patient) = await ActivePatientAsync();
        var content = new FailingContent(Samples.LargePdf(200_000), failAfter: 150_000);

        var send = () => patient.PostAsync("/api/me/documents", Samples.Upload(new { category = "Other", title = "coupé" }, content, "application/pdf"));
        await send.Should().ThrowAsync<Exception>();

        // The server notices the broken request on its own schedule.
        for (var i = 0; i < 50 && (ContentFileCount() > 0 || await OrphanCountAsync() > 0); i++)
        {
            await Task.Delay(100);
        }

        (await ListAsync(patient)).Total.Should().Be(0);
        ContentFileCount().Should().Be(0);
        (await OrphanCountAsync()).Should().Be(0);
    }

    [Fact]
    public async Task The_sweeper_removes_content_a_crashed_upload_left_behind()
    {
        var (person, _) = await ActivePatientAsync();
        // What a silo killed mid-upload leaves: a registered object and its bytes, no document.
        var orphans = Silo.Get<ContentOrphans>();
        var store = Silo.Get<IContentStore>();
        var key = $"{Guid.NewGuid():N}/{Guid.NewGuid():N}";
        await orphans.RegisterAsync(key, person.Nir, CancellationToken.None);
        await using (var writer = await store.CreateAsync(key, CancellationToken.None))
        {
            await writer.WriteAsync(new byte[100], CancellationToken.None);
            await writer.CompleteAsync(CancellationToken.None);
        }

        (await orphans.SweepAsync(CancellationToken.None)).Should().Be(0, "an upload may still be under way within the grace period");
        (await store.ExistsAsync(key, CancellationToken.None)).Should().BeTrue();

        Silo.Clock.Advance(TimeSpan.FromHours(2));
        (await orphans.SweepAsync(CancellationToken.None)).Should().Be(1);
        (await store.ExistsAsync(key, CancellationToken.None)).Should().BeFalse();
        (await OrphanCountAsync()).Should().Be(0);
    }

    [Fact]
    public async Task The_same_upload_retried_with_its_idempotency_key_creates_one_document()
    {
        var (_, patient) = await ActivePatientAsync();
        var metadata = new { category = "Vaccination", title = "Carnet de vaccination" };

        using var first = await UploadAsync(patient, metadata, Samples.Pdf(), "application/pdf", "upload-1");
        using var retry = await UploadAsync(patient, metadata, Samples.Pdf(), "application/pdf", "upload-1");
        using var different = await UploadAsync(patient, metadata, Samples.Pdf(padding: 10), "application/pdf", "upload-1");

        first.StatusCode.Should().Be(HttpStatusCode.Created);
        retry.StatusCode.Should().Be(HttpStatusCode.OK);
        retry.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        (await retry.Content.ReadFromJsonAsync<DocumentInfo>(Json.Options))!.Id.Should().Be((await first.Content.ReadFromJsonAsync<DocumentInfo>(Json.Options))!.Id);
        await ShouldBeProblemAsync(different, HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
        (await ListAsync(patient)).Total.Should().Be(1);
        ContentFileCount().Should().Be(1, "the retries' content was discarded");
    }

    [Fact]
    public async Task A_replacement_supersedes_the_previous_version_which_stays_in_the_history()
    {
        var (_, patient) = await ActivePatientAsync();
        var v1 = await UploadOkAsync(patient, new { category = "IdentityDocument", title = "Carte d'identité" }, Samples.Jpeg(), "image/jpeg");
        var v2 = await UploadOkAsync(patient, new { category = "IdentityDocument", title = "Carte d'identité (nouvelle)", replaces = v1.Id }, Samples.Png(), "image/png");

        v2.Replaces.Should().Be(v1.Id);
        v2.Tab.Should().Be(DocumentTab.Administrative);
        (await ListAsync(patient)).Items.Select(d => d.Id).Should().Equal(v2.Id);
        var history = await ListAsync(patient, "?status=Superseded");
        history.Items.Should().ContainSingle().Which.Should().Match<DocumentInfo>(d => d.Id == v1.Id && d.SupersededBy == v2.Id && d.Status == DocumentStatus.Superseded);

        using var again = await UploadAsync(patient, new { category = "IdentityDocument", title = "x", replaces = v1.Id }, Samples.Png(), "image/png");
        await ShouldBeProblemAsync(again, HttpStatusCode.Conflict, "invalid-state");
        using var unknown = await UploadAsync(patient, new { category = "Other", title = "x", replaces = Guid.NewGuid() }, Samples.Png(), "image/png");
        await ShouldBeProblemAsync(unknown, HttpStatusCode.NotFound, "not-found");
        ContentFileCount().Should().Be(2);
    }

    [Fact]
    public async Task Each_document_added_is_notified_in_the_patients_feed()
    {
        var (_, patient) = await ActivePatientAsync();
        var document = await UploadOkAsync(patient, new { category = "Prescription", title = "Ordonnance" }, Samples.Pdf(), "application/pdf");

        var feed = await patient.GetFromJsonAsync<JsonElement>("/api/me/notifications");
        var added = feed.GetProperty("items").EnumerateArray().Where(n => n.GetProperty("kind").GetString() == "document.added").ToList();
        added.Should().ContainSingle();
        added[0].GetProperty("payloadJson").ToString().Should().Contain(document.Id.ToString()).And.NotContain("Ordonnance", "the feed carries no titles");
    }

    private async Task<long> OrphanCountAsync()
    {
        await using var connection = await Silo.Get<IDatabase>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>("select count(*) from content_orphans");
    }

    /// <summary>A body that breaks after some bytes, as a dropped connection does.</summary>
    private sealed class FailingContent(byte[] bytes, int failAfter) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(bytes.AsMemory(0, failAfter));
            await stream.FlushAsync();
            throw new IOException("connection lost");
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
