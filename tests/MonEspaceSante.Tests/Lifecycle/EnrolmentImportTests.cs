using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MonEspaceSante.Enrolment;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Lifecycle;

public sealed class EnrolmentImportTests : SpaceTestBase
{
    // Small batches so that duplicates and checkpoints cross batch boundaries.
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Enrolment:BatchSize"] = "3" };

    [Fact]
    public async Task A_file_with_bad_rows_imports_the_good_ones_and_reports_each_bad_line_with_its_reason()
    {
        var good = Enumerable.Range(0, 5).Select(_ => NewPerson()).ToList();
        var badKey = NewPerson() with { };
        badKey = badKey with { Nir = badKey.Nir[..13] + (badKey.Nir[13..] == "01" ? "02" : "01") };
        var letter = NewPerson(withEmail: false);
        var people = new List<Person> { good[0], badKey, good[1], letter, good[2], good[1], good[3], good[4] };
        var csv = EnrolmentFiles.Csv(people, ["not;enough;fields"]);

        var progress = await Silo.ImportAsync(csv);

        progress.Status.Should().Be(ImportStatus.Completed);
        progress.TotalRows.Should().Be(9);
        progress.RowsDone.Should().Be(9);
        progress.Accepted.Should().Be(6);
        progress.Rejected.Should().Be(3);

        using var op = Silo.Operator();
        var page = await op.GetFromJsonAsync<RejectionPage>($"/api/operator/enrolments/{progress.ImportId}/rejections", Json.Options);
        // Line 1 is the header; the letter's address takes lines 5 and 6.
        page!.Items.Select(r => r.Line).Should().Equal(3, 8, 11);
        page.Items[0].Reason.Should().Contain("key");
        page.Items[1].Reason.Should().Be("duplicate NIR: same as line 4 of this file.");
        page.Items[2].Reason.Should().Contain("expected 10 fields");

        var paged = await op.GetFromJsonAsync<RejectionPage>($"/api/operator/enrolments/{progress.ImportId}/rejections?limit=2", Json.Options);
        paged!.Items.Should().HaveCount(2);
        paged.NextAfterLine.Should().Be(8);
    }

    [Fact]
    public async Task Importing_the_same_file_again_creates_nothing_twice()
    {
        var people = Enumerable.Range(0, 7).Select(_ => NewPerson()).ToList();
        var csv = EnrolmentFiles.Csv(people);
        (await Silo.ImportAsync(csv)).Accepted.Should().Be(7);

        var again = await Silo.ImportAsync(csv);
        again.Accepted.Should().Be(0);
        again.Rejected.Should().Be(7);
        using var op = Silo.Operator();
        var page = await op.GetFromJsonAsync<RejectionPage>($"/api/operator/enrolments/{again.ImportId}/rejections", Json.Options);
        page!.Items.Should().OnlyContain(r => r.Reason == "a space already exists for this NIR.");
        var counts = await op.GetFromJsonAsync<JsonElement>("/api/operator/spaces/counts");
        counts.GetProperty("total").GetInt64().Should().Be(7);
    }

    [Fact]
    public async Task An_idempotency_key_replays_the_first_import_and_refuses_another_file()
    {
        var csv = EnrolmentFiles.Csv([NewPerson(), NewPerson()]);
        var first = await Silo.ImportAsync(csv, idempotencyKey: "batch-2026-11-02");
        using var op = Silo.Operator();
        using var replay = new HttpRequestMessage(HttpMethod.Post, "/api/operator/enrolments") { Content = new StringContent(csv, Encoding.UTF8, "text/csv") };
        replay.Headers.Add("Idempotency-Key", "batch-2026-11-02");
        using var replayed = await op.SendAsync(replay);
        replayed.StatusCode.Should().Be(HttpStatusCode.OK);
        (await replayed.Content.ReadFromJsonAsync<ImportProgress>(Json.Options))!.ImportId.Should().Be(first.ImportId);

        using var other = new HttpRequestMessage(HttpMethod.Post, "/api/operator/enrolments") { Content = new StringContent(EnrolmentFiles.Csv([NewPerson()]), Encoding.UTF8, "text/csv") };
        other.Headers.Add("Idempotency-Key", "batch-2026-11-02");
        await ShouldBeProblemAsync(await op.SendAsync(other), HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
        Directory.GetFiles(Path.Combine(DataPath, "imports")).Should().BeEmpty("neither the finished import's file nor the refused one is kept");
    }

    [Fact]
    public async Task Unusable_uploads_are_refused_with_clear_problems()
    {
        using var op = Silo.Operator();
        await ShouldBeProblemAsync(await op.PostAsync("/api/operator/enrolments", new StringContent("", Encoding.UTF8, "text/csv")), HttpStatusCode.BadRequest, "empty-file");
        await ShouldBeProblemAsync(await op.PostAsync("/api/operator/enrolments", new StringContent("{}", Encoding.UTF8, "application/json")), HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
        (await Client.PostAsync("/api/operator/enrolments", new StringContent("a", Encoding.UTF8, "text/csv"))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await op.GetAsync($"/api/operator/enrolments/{Guid.NewGuid()}")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        var wrongHeader = await Silo.ImportAsync("name;birth\nx;y\n");
        wrongHeader.Status.Should().Be(ImportStatus.Failed);
        wrongHeader.Error.Should().Contain("nir");
        wrongHeader.Accepted.Should().Be(0);
    }
}
