using System.Data.Common;
using System.Net;
using Azure.Storage.Blobs;
using MonEspaceSante.Content;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Documents;

/// <summary>
/// The Azure Blob provider against Azurite's blob service on loopback (started by the test
/// script: MES_TEST_AZURITE). Tests fail, not skip, without it.
/// </summary>
public sealed class AzureBlobContentStoreTests : DocumentTestBase
{
    private readonly string container = "mes-test-" + Guid.NewGuid().ToString("N")[..12];

    private static string AzuriteConnection =>
        Environment.GetEnvironmentVariable("MES_TEST_AZURITE")
        ?? throw new InvalidOperationException("MES_TEST_AZURITE is not set: run the tests with tests/run.sh, which starts Azurite.");

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Content:Provider"] = "AzureBlob",
        ["Content:AzureBlob:ConnectionString"] = AzuriteConnection,
        ["Content:AzureBlob:Container"] = container,
        ["Content:AzureBlob:CreateContainer"] = "true",
        ["Content:AzureBlob:PartSize"] = (5 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task Writes_reads_from_an_offset_and_deletes_objects_including_ones_sent_as_blocks()
    {
        var store = (AzureBlobContentStore)Silo.Get<IContentStore>();
        foreach (var size in new[] { 10, 12 * 1024 * 1024 + 5 })
        {
            await RoundTripAsync(store, size);
        }
    }

    [Fact]
    public async Task An_abandoned_write_leaves_no_object()
    {
        var store = Silo.Get<IContentStore>();
        var key = $"{Guid.NewGuid():N}/{Guid.NewGuid():N}";
        await using (var writer = await store.CreateAsync(key, CancellationToken.None))
        {
            // More than a block: some of it was staged before the write was abandoned.
            await writer.WriteAsync(new byte[6 * 1024 * 1024], CancellationToken.None);
        }

        (await store.ExistsAsync(key, CancellationToken.None)).Should().BeFalse();
        var open = () => store.OpenReadAsync(key, 0, CancellationToken.None);
        await open.Should().ThrowAsync<ContentNotFoundException>();
    }

    [Fact]
    public async Task A_missing_object_is_not_found_and_deleting_it_is_idempotent_even_without_a_container()
    {
        var stores = new[]
        {
            Silo.Get<IContentStore>(),
            new AzureBlobContentStore(new AzureBlobContentOptions { ConnectionString = AzuriteConnection, Container = "mes-test-absent-" + Guid.NewGuid().ToString("N")[..12] }),
        };
        foreach (var store in stores)
        {
            var key = $"{Guid.NewGuid():N}/{Guid.NewGuid():N}";
            (await store.ExistsAsync(key, CancellationToken.None)).Should().BeFalse();
            var open = () => store.OpenReadAsync(key, 0, CancellationToken.None);
            await open.Should().ThrowAsync<ContentNotFoundException>();
            var openTail = () => store.OpenReadAsync(key, 100, CancellationToken.None);
            await openTail.Should().ThrowAsync<ContentNotFoundException>();
            await store.DeleteAsync(key, CancellationToken.None);
            await store.DeleteAsync(key, CancellationToken.None);
        }

        var written = Silo.Get<IContentStore>();
        var once = $"{Guid.NewGuid():N}/{Guid.NewGuid():N}";
        await using (var writer = await written.CreateAsync(once, CancellationToken.None))
        {
            await writer.WriteAsync(new byte[] { 1, 2, 3 }, CancellationToken.None);
            await writer.CompleteAsync(CancellationToken.None);
        }

        await written.DeleteAsync(once, CancellationToken.None);
        await written.DeleteAsync(once, CancellationToken.None);
        (await written.ExistsAsync(once, CancellationToken.None)).Should().BeFalse();
    }

    [Fact]
    public async Task An_account_name_and_key_with_the_service_uri_work_like_a_connection_string()
    {
        var parts = new DbConnectionStringBuilder { ConnectionString = AzuriteConnection };
        var store = new AzureBlobContentStore(new AzureBlobContentOptions
        {
            ServiceUri = new Uri((string)parts["BlobEndpoint"]),
            AccountName = (string)parts["AccountName"],
            AccountKey = (string)parts["AccountKey"],
            Container = container,
            PartSize = 1024 * 1024,
        });
        await store.EnsureContainerAsync(CancellationToken.None);
        await RoundTripAsync(store, 2 * 1024 * 1024 + 3);

        var incomplete = () => new AzureBlobContentStore(new AzureBlobContentOptions { ServiceUri = new Uri((string)parts["BlobEndpoint"]) });
        incomplete.Should().Throw<InvalidOperationException>().WithMessage("*AccountName*");
    }

    [Fact]
    public async Task Documents_go_through_the_api_into_azure_blob_encrypted_and_come_back_with_range_support()
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

        // Nothing went to the local folder; the document's deletion removes its blob.
        ContentFileCount().Should().Be(0);
        (await BlobNamesAsync()).Should().ContainSingle();
        (await patient.DeleteAsync($"/api/me/documents/{document.Id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await ListAsync(patient)).Total.Should().Be(0);
        (await BlobNamesAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Stored_objects_are_ciphertext()
    {
        var (_, patient) = await ActivePatientAsync();
        var text = Samples.Text("Résultat confidentiel : sérologie négative.\n");
        await UploadOkAsync(patient, new { category = "LabResult", title = "Sérologie" }, text, "text/plain");

        var name = (await BlobNamesAsync()).Should().ContainSingle().Subject;
        var stored = (await new BlobContainerClient(AzuriteConnection, container).GetBlobClient(name).DownloadContentAsync()).Value.Content.ToArray();
        stored.Length.Should().Be((int)ContentCipher.StoredLength(text.Length));
        stored.AsSpan().IndexOf("confidentiel"u8).Should().Be(-1);
    }

    private static async Task RoundTripAsync(AzureBlobContentStore store, int size)
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

    private async Task<List<string>> BlobNamesAsync()
    {
        var names = new List<string>();
        await foreach (var blob in new BlobContainerClient(AzuriteConnection, container).GetBlobsAsync())
        {
            names.Add(blob.Name);
        }

        return names;
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
