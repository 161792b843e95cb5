using System.Net;
using System.Net.Http.Headers;
using MonEspaceSante.Documents;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Documents;

/// <summary>The documents vault on the embedded default: SQLite and the file-system store.</summary>
public sealed class EmbeddedDocumentTests : DocumentTestBase
{
    protected override bool AuthoriseLab => true;

    protected override bool Embedded => true;

    [Fact]
    public async Task Upload_list_range_replace_mask_and_delete_work_on_sqlite()
    {
        var (person, patient) = await ActivePatientAsync();
        var bytes = Samples.LargePdf(150_000);
        var v1 = await UploadOkAsync(patient, new { category = "Imaging", title = "Radio" }, bytes, "application/pdf");
        var v2 = await UploadOkAsync(patient, new { category = "Imaging", title = "Radio (2)", replaces = v1.Id }, Samples.Png(), "image/png");
        using var lab = await LabSoftwareAsync();
        var report = await UploadOkAsync(lab, LabReport(person), Samples.Fhir(), "application/fhir+json", "/api/clients/documents");

        (await ListAsync(patient)).Items.Select(d => d.Id).Should().BeEquivalentTo([v2.Id, report.Id]);
        (await ListAsync(patient, "?status=Superseded")).Items.Should().ContainSingle().Which.Id.Should().Be(v1.Id);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/me/documents/{v1.Id}/content");
        request.Headers.Range = new RangeHeaderValue(100_000, 100_009);
        using var partial = await patient.SendAsync(request);
        partial.StatusCode.Should().Be(HttpStatusCode.PartialContent);
        (await partial.Content.ReadAsByteArrayAsync()).Should().Equal(bytes[100_000..100_010]);

        (await patient.PostAsync($"/api/me/documents/{report.Id}/mask", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await patient.DeleteAsync($"/api/me/documents/{v2.Id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await ListAsync(patient)).Items.Should().ContainSingle().Which.Should().Match<DocumentInfo>(d => d.Id == report.Id && d.MaskedFromProfessionals);
        ContentFileCount().Should().Be(2);
    }
}
