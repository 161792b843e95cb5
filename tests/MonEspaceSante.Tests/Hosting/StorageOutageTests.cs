using System.Net;
using MonEspaceSante.Tests.Infrastructure;
using Npgsql;

namespace MonEspaceSante.Tests.Hosting;

/// <summary>
/// PostgreSQL out of reach (its connections dropped, new ones refused) while the silo runs:
/// requests get 503 with Retry-After, nothing is half-written, and service resumes on its own.
/// </summary>
public sealed class StorageOutageTests : DocumentTestBase, IAsyncDisposable
{
    private readonly TcpRelay relay = new(PostgresEndpoint());

    // After the silo has stopped (xUnit disposes after IAsyncLifetime.DisposeAsync).
    ValueTask IAsyncDisposable.DisposeAsync() => relay.DisposeAsync();

    protected override string SiloConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(database) { Host = "127.0.0.1", Port = relay.Port, Timeout = 3 }.ConnectionString;

    [Fact]
    public async Task While_the_database_is_unreachable_requests_get_503_with_retry_after_and_nothing_changes()
    {
        var (_, patient) = await ActivePatientAsync();
        await UploadOkAsync(patient, new { category = "Other", title = "Avant" }, Samples.Text(), "text/plain");

        await relay.CutAsync();

        using var list = await patient.GetAsync("/api/me/documents");
        await ShouldBeProblemAsync(list, HttpStatusCode.ServiceUnavailable, "storage-unavailable");
        RetryAfterOf(list).Should().Be(TimeSpan.FromSeconds(5));
        using var upload = await UploadAsync(patient, new { category = "Other", title = "Pendant" }, Samples.Text(), "text/plain");
        await ShouldBeProblemAsync(upload, HttpStatusCode.ServiceUnavailable, "storage-unavailable");
        RetryAfterOf(upload).Should().Be(TimeSpan.FromSeconds(5));
        using var health = await Client.GetAsync("/health");
        health.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        RetryAfterOf(health).Should().Be(TimeSpan.FromSeconds(5));

        relay.Start();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpStatusCode status;
        do
        {
            using var retry = await patient.GetAsync("/api/me/documents");
            status = retry.StatusCode;
        }
        while (status != HttpStatusCode.OK && DateTime.UtcNow < deadline && await Delay());

        status.Should().Be(HttpStatusCode.OK, "the silo recovers once the database is back");
        var page = await ListAsync(patient);
        page.Items.Select(d => d.Title).Should().Equal("Avant");
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(250);
        return true;
    }

    private static IPEndPoint PostgresEndpoint()
    {
        var admin = new NpgsqlConnectionStringBuilder(TestPostgres.AdminConnectionString);
        return new IPEndPoint(IPAddress.Parse(admin.Host is null or "localhost" ? "127.0.0.1" : admin.Host), admin.Port);
    }
}
