using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Dapper;
using MonEspaceSante.Enrolment;
using MonEspaceSante.Professionals;
using MonEspaceSante.Storage;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Professionals;

/// <summary>The operator's import of the RPPS extract, on PostgreSQL, over the HTTP API.</summary>
public sealed class ProfessionalImportTests : DocumentTestBase
{
    // Small batches, so that a file of a few rows spans several transactions.
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Professionals:BatchSize"] = "2" };

    [Fact]
    public async Task Valid_rows_are_imported_and_each_invalid_row_is_reported_by_line_and_reason()
    {
        var csv = ProfessionalFiles.Csv(ProfessionalFiles.ReadyMade, [
            ProfessionalFiles.Line(ProfessionalFiles.Physician, rpps: "10003456787", nationalId: "810003456787"),
            ProfessionalFiles.Line(ProfessionalFiles.Physician with { Rpps = ProfessionalFiles.Rpps(1), LastName = "" }),
            ProfessionalFiles.Line(ProfessionalFiles.Physician with { Rpps = ProfessionalFiles.Rpps(2), ProfessionCode = "" }),
            ProfessionalFiles.Line(ProfessionalFiles.Nurse with { Rpps = ProfessionalFiles.Rpps(3) }),
        ]);

        var result = await ProfessionalFiles.ImportAsync(Silo, csv);

        result.Should().BeEquivalentTo(new
        {
            Rows = 8L,
            Imported = 5L,
            Changed = 5L,
            Duplicates = 0L,
            Rejected = 3L,
        });
        result.Rejections.Select(r => r.Line).Should().Equal(6, 7, 8);
        result.Rejections[0].Reason.Should().Contain("Identifiant PP").And.Contain("Luhn");
        result.Rejections[1].Reason.Should().Be("Nom d'exercice is missing.");
        result.Rejections[2].Reason.Should().Be("Code profession is missing.");
        (await StoredAsync(ProfessionalFiles.Midwife.Rpps)).Should().Be(ProfessionalFiles.Midwife);
        (await StoredAsync(ProfessionalFiles.Rpps(3))).Should().Be(ProfessionalFiles.Nurse with { Rpps = ProfessionalFiles.Rpps(3) });
        (await CountAsync()).Should().Be(5);
    }

    [Fact]
    public async Task A_professional_on_several_activity_rows_is_kept_once_from_the_first_row()
    {
        var hospital = ProfessionalFiles.Physician with { FacilityName = "HÔPITAL BICHAT", FacilityFiness = "750100232" };
        var csv = ProfessionalFiles.Csv(ProfessionalFiles.Physician, ProfessionalFiles.Nurse, hospital, ProfessionalFiles.Pharmacist, hospital);

        var result = await ProfessionalFiles.ImportAsync(Silo, csv);

        result.Should().BeEquivalentTo(new { Rows = 5L, Imported = 3L, Changed = 3L, Duplicates = 2L, Rejected = 0L });
        result.Rejections.Should().BeEmpty();
        (await StoredAsync(ProfessionalFiles.Physician.Rpps)).Should().Be(ProfessionalFiles.Physician);
        (await CountAsync()).Should().Be(3);
    }

    [Fact]
    public async Task Importing_the_same_file_again_creates_nothing_twice_and_a_changed_name_is_updated()
    {
        var csv = ProfessionalFiles.Csv([.. ProfessionalFiles.ReadyMade]);
        (await ProfessionalFiles.ImportAsync(Silo, csv)).Changed.Should().Be(4);
        var firstWrite = await UpdatedAtAsync(ProfessionalFiles.Nurse.Rpps);
        Silo.Clock.Advance(TimeSpan.FromDays(30));

        var again = await ProfessionalFiles.ImportAsync(Silo, csv);

        again.Should().BeEquivalentTo(new { Rows = 4L, Imported = 4L, Changed = 0L, Rejected = 0L });
        (await CountAsync()).Should().Be(4);
        (await UpdatedAtAsync(ProfessionalFiles.Nurse.Rpps)).Should().Be(firstWrite, "an unchanged row is not rewritten");

        var married = ProfessionalFiles.Nurse with { LastName = "MOREAU" };
        var changed = await ProfessionalFiles.ImportAsync(Silo, ProfessionalFiles.Csv(ProfessionalFiles.Physician, ProfessionalFiles.Pharmacist, married, ProfessionalFiles.Midwife));

        changed.Should().BeEquivalentTo(new { Imported = 4L, Changed = 1L });
        (await CountAsync()).Should().Be(4);
        (await StoredAsync(married.Rpps)).Should().Be(married);
        (await UpdatedAtAsync(married.Rpps)).Should().BeGreaterThan(firstWrite);
        await using var connection = await Silo.Get<IDatabase>().OpenAsync();
        (await connection.ExecuteScalarAsync<string>("select search_name from professionals where rpps = @rpps", new { rpps = married.Rpps })).Should().Be("MOREAU JEROME");
    }

    [Fact]
    public async Task Only_the_first_hundred_rejections_are_listed_but_all_are_counted()
    {
        var bad = Enumerable.Range(0, 150).Select(i => ProfessionalFiles.Line(ProfessionalFiles.Nurse with { Rpps = ProfessionalFiles.Rpps(i), ProfessionCode = "" }));

        var result = await ProfessionalFiles.ImportAsync(Silo, ProfessionalFiles.Csv([ProfessionalFiles.Midwife], bad));

        result.Rejected.Should().Be(150);
        result.Rejections.Should().HaveCount(ProfessionalImportResult.MaxReportedRejections);
        result.Rejections[^1].Should().Be(new ImportRejection(102, "Code profession is missing."));
        result.Imported.Should().Be(1);
    }

    [Fact]
    public async Task A_file_without_the_required_columns_or_not_csv_is_refused()
    {
        using var client = Silo.Operator();
        using (var noColumns = await client.PostAsync("/api/operator/professionals", new StringContent("Identifiant PP|Nom d'exercice\n10003456786|MARTIN\n", Encoding.UTF8, "text/csv")))
        {
            await ShouldBeProblemAsync(noColumns, HttpStatusCode.BadRequest, "invalid-request");
        }

        using (var empty = await client.PostAsync("/api/operator/professionals", new StringContent("", Encoding.UTF8, "text/csv")))
        {
            await ShouldBeProblemAsync(empty, HttpStatusCode.BadRequest, "invalid-request");
        }

        using (var json = await client.PostAsync("/api/operator/professionals", new StringContent("{}", Encoding.UTF8, "application/json")))
        {
            await ShouldBeProblemAsync(json, HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
        }

        (await CountAsync()).Should().Be(0);
    }

    [Fact]
    public async Task Only_operators_may_import()
    {
        var (_, patient) = await ActivePatientAsync();
        var csv = ProfessionalFiles.Csv(ProfessionalFiles.Physician);

        using (var asPatient = await patient.PostAsync("/api/operator/professionals", new StringContent(csv, Encoding.UTF8, "text/csv")))
        {
            asPatient.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        }

        using (var anonymous = await Client.PostAsync("/api/operator/professionals", new StringContent(csv, Encoding.UTF8, "text/csv")))
        {
            anonymous.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        using var software = Silo.Software();
        using (var asSoftware = await software.PostAsync("/api/operator/professionals", new StringContent(csv, Encoding.UTF8, "text/csv")))
        {
            asSoftware.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        }

        (await CountAsync()).Should().Be(0);
    }

    [Fact]
    public async Task The_extract_is_read_as_a_stream_not_buffered_whole()
    {
        // A body without a length, sent in pieces, as a gigabyte extract is.
        var people = Enumerable.Range(0, 500).Select(i => ProfessionalFiles.Nurse with { Rpps = ProfessionalFiles.Rpps(i), LastName = "NURSE" + i }).ToList();
        using var client = Silo.Operator();
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(ProfessionalFiles.Csv([.. people]))), 4096);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/operator/professionals") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        (await CountAsync()).Should().Be(500);
    }

    private async Task<long> CountAsync()
    {
        await using var connection = await Silo.Get<IDatabase>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>("select count(*) from professionals");
    }

    private async Task<long> UpdatedAtAsync(string rpps)
    {
        await using var connection = await Silo.Get<IDatabase>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>("select updated_at_ms from professionals where rpps = @rpps", new { rpps });
    }

    private async Task<ProfessionalInfo?> StoredAsync(string rpps)
    {
        await using var connection = await Silo.Get<IDatabase>().OpenAsync();
        return await ProfessionalLookup.FindAsync(connection, null, rpps);
    }
}
