using System.Net;
using System.Net.Http.Json;
using MonEspaceSante.Content;
using MonEspaceSante.Documents;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Documents;

/// <summary>
/// The S3 provider against a real S3-compatible server (s3rver on loopback, started by the test
/// script: MES_TEST_S3). Tests fail, not skip, without it.
/// </summary>
public sealed class S3ContentStoreTests : DocumentTestBase
{
    private readonly string bucket = "mes-test-" + Guid.NewGuid().ToString("N")[..12];

    private static string Endpoint =>
        Environment.GetEnvironmentVariable("MES_TEST_S3")
        ?? throw new InvalidOperationException("MES_TEST_S3 is not set: run the tests with tests/run.sh, which starts s3rver.");

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Content:Provider"] = "S3",
        ["Content:S3:ServiceUrl"] = Endpoint,
        ["Content:S3:Bucket"] = bucket,
        ["Content:S3:AccessKey"] = "S3RVER",
        ["Content:S3:SecretKey"] = "S3RVER",
        ["Content:S3:CreateBucket"] = "true",
        ["Content:S3:PartSize"] = (5 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task Writes_reads_from_an_offset_and_deletes_objects_including_multipart_ones()
    {
        var store = (S3ContentStore)Silo.Get<IContentStore>();
        foreach (var size in new[] { 10, 12 * 1024 * 1024 + 5 })
        {
            var bytes = new byte[size];
            Random.Shared.NextBytes(bytes);
            var key = $"{Guid.NewGuid():N}/{Guid.NewGuid():N}";
            await using (var writer = await store.CreateAsync(key, CancellationToken.None))
            {
                for (var offset = 0; offset < size; offset += 1024 * 1024)
                {
                    await writer.WriteAsync(bytes.AsMemory(offset, Math.Min(1024 * 1024, size - offset)), CancellationToken.None);
                }

                await writer.CompleteAsync(CancellationToken.None);
            }

            (await store.ExistsAsync(key, CancellationToken.None)).Should().BeTrue();
            await using (var whole = await store.OpenReadAsync(key, 0, CancellationToken.None))
            {
                (await ReadAllAsync(whole)).Should().Equal(bytes, $"an object of {size} bytes must read back whole");
            }

            await using (var tail = await store.OpenReadAsync(key, size - 7, CancellationToken.None))
            {
                (await ReadAllAsync(tail)).Should().Equal(bytes[^7..]);
            }

            await store.DeleteAsync(key, CancellationToken.None);
            (await store.ExistsAsync(key, CancellationToken.None)).Should().BeFalse();
        }
    }

    [Fact]
    public async Task An_abandoned_write_leaves_no_object()
    {
        var store = Silo.Get<IContentStore>();
        var key = $"{Guid.NewGuid():N}/{Guid.NewGuid():N}";
        await using (var writer = await store.CreateAsync(key, CancellationToken.None))
        {
            await writer.WriteAsync(new byte[6 * 1024 * 1024], CancellationToken.None);
        }

        (await store.ExistsAsync(key, CancellationToken.None)).Should().BeFalse();
        var open = () => store.OpenReadAsync(key, 0, CancellationToken.None);
        await open.Should().ThrowAsync<ContentNotFoundException>();
    }

    [Fact]
    public async Task Documents_go_through_the_api_into_s3_encrypted_and_come_back_with_range_support()
    {
        var (_, patient) = await ActivePatientAsync();
        var bytes = Samples.LargePdf(300_000);
        var document = await UploadOkAsync(patient, new { category = "Imaging", title = "Scanner" }, bytes, "application/pdf");

        (await patient.GetByteArrayAsync($"/api/me/documents/{document.Id}/content")).Should().Equal(bytes);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/me/documents/{document.Id}/content");
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(200_000, 200_099);
        using var partial = await patient.SendAsync(request);
        partial.StatusCode.Should().Be(HttpStatusCode.PartialContent);
        (await partial.Content.ReadAsByteArrayAsync()).Should().Equal(bytes[200_000..200_100]);

        // Nothing went to the local folder, and the object in the bucket is ciphertext.
        ContentFileCount().Should().Be(0);
        (await patient.DeleteAsync($"/api/me/documents/{document.Id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await ListAsync(patient)).Total.Should().Be(0);
    }

    [Fact]
    public async Task Stored_objects_are_ciphertext()
    {
        var (_, patient) = await ActivePatientAsync();
        var text = Samples.Text("Résultat confidentiel : sérologie négative.\n");
        await UploadOkAsync(patient, new { category = "LabResult", title = "Sérologie" }, text, "text/plain");

        using var s3 = new HttpClient();
        var listing = await s3.GetStringAsync($"{Endpoint}/{bucket}?list-type=2");
        var key = System.Text.RegularExpressions.Regex.Match(listing, "<Key>([^<]+)</Key>").Groups[1].Value;
        key.Should().NotBeEmpty();
        var stored = await s3.GetByteArrayAsync($"{Endpoint}/{bucket}/{key}");
        stored.Length.Should().Be((int)ContentCipher.StoredLength(text.Length));
        stored.AsSpan().IndexOf("confidentiel"u8).Should().Be(-1);
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
