using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MonEspaceSante.Enrolment;
using MonEspaceSante.Storage;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Lifecycle;

public sealed class EnrolmentImportTests : SpaceTestBase
{
    // Small batches so that duplicates and checkpoints cross batch boundaries.
    // Notice jobs smaller than batches, so that a batch's codes are split over several jobs.
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Enrolment:BatchSize"] = "3",
        ["Enrolment:NoticesPerJob"] = "2",
    };

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
    public async Task Duplicates_far_apart_are_caught_while_later_batches_are_prepared_ahead()
    {
        // Batches of 3, prepared one ahead of the batch being written: the repeat on the last
        // line must still see the first occurrence, committed eleven batches earlier.
        var people = Enumerable.Range(0, 33).Select(_ => NewPerson()).ToList();
        var csv = EnrolmentFiles.Csv([.. people, people[1], people[20]]);

        var progress = await Silo.ImportAsync(csv);

        progress.Accepted.Should().Be(33);
        progress.Rejected.Should().Be(2);
        using var op = Silo.Operator();
        var page = await op.GetFromJsonAsync<RejectionPage>($"/api/operator/enrolments/{progress.ImportId}/rejections", Json.Options);
        page!.Items.Select(r => (r.Line, r.Reason)).Should().Equal(
            (35L, "duplicate NIR: same as line 3 of this file."),
            (36L, "duplicate NIR: same as line 22 of this file."));
        (await SpaceCountAsync()).Should().Be(33);
        // Each space's own code reached its holder, though a batch's codes span several notice jobs.
        people.Select(CodeOf).Should().OnlyHaveUniqueItems().And.HaveCount(33);
    }

    [Fact]
    public async Task Two_imports_running_at_once_create_each_person_once()
    {
        var people = Enumerable.Range(0, 60).Select(_ => NewPerson()).ToList();
        var imports = Silo.Get<EnrolmentImports>();
        var importer = Silo.Get<EnrolmentImporter>();
        var first = await CreateImportAsync(imports, people[..40]);
        var second = await CreateImportAsync(imports, people[20..]);

        await Task.WhenAll(
            Task.Run(() => importer.RunAsync(first, null, CancellationToken.None)),
            Task.Run(() => importer.RunAsync(second, null, CancellationToken.None)));

        var a = (await imports.GetAsync(first))!;
        var b = (await imports.GetAsync(second))!;
        a.Status.Should().Be(ImportStatus.Completed);
        b.Status.Should().Be(ImportStatus.Completed);
        (a.Accepted + b.Accepted).Should().Be(60);
        (a.Rejected + b.Rejected).Should().Be(20);
        (await SpaceCountAsync()).Should().Be(60);
        var rejections = (await imports.GetRejectionsAsync(first, 0, 100)).Items.Concat((await imports.GetRejectionsAsync(second, 0, 100)).Items);
        rejections.Should().OnlyContain(r => r.Reason == "a space already exists for this NIR.");
    }

    [Fact]
    public async Task An_import_that_fails_mid_file_resumes_after_its_checkpoint_and_creates_nothing_twice()
    {
        var people = Enumerable.Range(0, 20).Select(_ => NewPerson()).ToList();
        var imports = Silo.Get<EnrolmentImports>();
        var id = await CreateImportAsync(imports, people);
        var failing = new FailingOnceWriter(Silo.Get<IEnrolmentBulkWriter>(), failOnCall: 3);
        var crashing = ActivatorUtilities.CreateInstance<EnrolmentImporter>(Silo.Services, failing);

        var crash = () => crashing.RunAsync(id, null, CancellationToken.None);
        await crash.Should().ThrowAsync<IOException>();
        var halfway = (await imports.GetAsync(id))!;
        halfway.Status.Should().Be(ImportStatus.Running);
        halfway.Accepted.Should().Be(6, "two batches of three were committed before the failure");

        await Silo.Get<EnrolmentImporter>().RunAsync(id, null, CancellationToken.None);

        var done = (await imports.GetAsync(id))!;
        done.Status.Should().Be(ImportStatus.Completed);
        done.RowsDone.Should().Be(20);
        done.Accepted.Should().Be(20);
        done.Rejected.Should().Be(0);
        (await SpaceCountAsync()).Should().Be(20);
        await using var connection = await Silo.Get<IDatabase>().OpenAsync();
        var notices = await connection.ExecuteScalarAsync<long>("select count(*) from jobs where kind = 'activation-notices'");
        notices.Should().Be(13, "two sealed notice jobs (2 + 1 codes) per committed batch of three, one for the last row, none for the rolled-back batch");
    }

    private static async Task<Guid> CreateImportAsync(EnrolmentImports imports, IEnumerable<Person> people)
    {
        using var file = new MemoryStream(Encoding.UTF8.GetBytes(EnrolmentFiles.Csv(people)));
        return (await imports.CreateAsync(file, "test.csv", null, "test")).Progress.ImportId;
    }

    private async Task<long> SpaceCountAsync()
    {
        await using var connection = await Silo.Get<IDatabase>().OpenAsync();
        var grains = await connection.ExecuteScalarAsync<long>("select count(*) from grains where grain_type = 'patient-space'");
        var directory = await connection.ExecuteScalarAsync<long>("select count(*) from directory where kind = 'nir'");
        directory.Should().Be(grains, "every space has exactly one NIR entry");
        return grains;
    }

    /// <summary>Stands for a crash in the middle of a file: the given write fails, the others pass through.</summary>
    private sealed class FailingOnceWriter(IEnrolmentBulkWriter inner, int failOnCall) : IEnrolmentBulkWriter
    {
        private int calls;

        public Task WriteAsync(DbConnection connection, DbTransaction transaction, string importId, IReadOnlyList<NewSpaceRow> rows, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref calls) == failOnCall
                ? throw new IOException("connection lost")
                : inner.WriteAsync(connection, transaction, importId, rows, cancellationToken);
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
