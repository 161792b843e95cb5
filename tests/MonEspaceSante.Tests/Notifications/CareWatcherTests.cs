using Dapper;
using System.Net.Http.Json;
using System.Text.Json;
using MonEspaceSante.Documents;
using MonEspaceSante.Professionals;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Notifications;

/// <summary>Documents appear live to the professionals reading the record, under the patient's rules at that moment.</summary>
public sealed class CareWatcherTests : AccessTestBase
{
    private const string Clients = "/api/clients/documents";

    protected override bool AuthoriseLab => true;

    private async Task<List<string>> AnnouncedAsync(ProfessionalInfo professional)
    {
        using var pro = await ProAsync(professional);
        var page = await pro.GetFromJsonAsync<JsonElement>("/api/pro/notifications?limit=500");
        return page.GetProperty("items").EnumerateArray()
            .Where(n => n.GetProperty("kind").GetString() == "care.document-added")
            .Select(n => JsonDocument.Parse(n.GetProperty("payloadJson").GetString()!).RootElement.GetProperty("documentId").GetString()!)
            .ToList();
    }

    private async Task ReadRecordAsync(ProfessionalInfo professional, Person person)
    {
        using var pro = await ProAsync(professional);
        await ProListAsync(pro, await FindOkAsync(pro, person));
    }

    [Fact]
    public async Task A_new_document_is_announced_to_the_professionals_reading_the_record_who_may_see_it()
    {
        await AddProfessionalsAsync(Physician, Pharmacist, OtherPhysician);
        var (person, patient) = await ActivePatientAsync();
        await GrantAsync(patient, Physician);
        await GrantAsync(patient, Pharmacist);
        await GrantAsync(patient, OtherPhysician);
        await ReadRecordAsync(Physician, person);
        await ReadRecordAsync(Pharmacist, person);

        using var lab = await LabSoftwareAsync();
        var result = await UploadOkAsync(lab, LabReport(person), Samples.Cda(), "application/xml", Clients);
        var masked = await OwnDocumentAsync(patient, DocumentCategory.Imaging, "Radio masquée", masked: true);
        var imaging = await OwnDocumentAsync(patient, DocumentCategory.Imaging, "Radio");

        (await AnnouncedAsync(Physician)).Should().Equal(result.Id.ToString(), imaging.Id.ToString());
        (await AnnouncedAsync(Pharmacist)).Should().Equal([result.Id.ToString()], "a pharmacist's rights do not cover imaging");
        (await AnnouncedAsync(OtherPhysician)).Should().BeEmpty("authorised but not reading the record now");
        (await AnnouncedAsync(LabBiologist)).Should().BeEmpty("sending documents is not following a record");
        masked.MaskedFromProfessionals.Should().BeTrue();

        (await patient.DeleteAsync($"/api/me/access/professionals/{Pharmacist.Rpps}")).EnsureSuccessStatusCode();
        var after = await UploadOkAsync(lab, LabReport(person, "Contrôle"), Samples.Cda(), "application/xml", Clients);
        (await AnnouncedAsync(Pharmacist)).Should().NotContain(after.Id.ToString(), "a revocation applies at once");
        (await AnnouncedAsync(Physician)).Should().Contain(after.Id.ToString());

        Silo.Clock.Advance(TimeSpan.FromHours(3));
        var later = await UploadOkAsync(await LabSoftwareAsync(), LabReport(person, "Plus tard"), Samples.Cda(), "application/xml", Clients);
        (await AnnouncedAsync(Physician)).Should().NotContain(later.Id.ToString(), "the consultation window has passed");
    }

    [Fact]
    public async Task The_readers_query_is_answered_from_its_partial_index_even_as_a_prepared_statement()
    {
        // Npgsql prepares the hot statements, and a generic plan cannot use a partial index whose
        // predicate it cannot prove from the query's own text: the literals must match.
        await using var connection = await Silo.Get<MonEspaceSante.Storage.IDatabase>().OpenAsync();
        var sql = CareWatchers.ReadersSql.Replace("@space", "$1", StringComparison.Ordinal).Replace("@since", "$2", StringComparison.Ordinal);
        await connection.ExecuteAsync("set plan_cache_mode = force_generic_plan; set enable_seqscan = off; set enable_bitmapscan = off");
        await connection.ExecuteAsync($"prepare readers (text, bigint) as {sql}");
        var plan = string.Join('\n', await connection.QueryAsync<string>("explain execute readers('space', 0)"));
        plan.Should().Contain("access_history_readers");
    }
}
