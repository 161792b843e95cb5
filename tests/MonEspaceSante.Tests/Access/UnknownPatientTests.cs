using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using MonEspaceSante.Identity;
using MonEspaceSante.Storage;
using MonEspaceSante.Tests.Infrastructure;
using Orleans.Runtime;

namespace MonEspaceSante.Tests.Access;

/// <summary>
/// Guessing NIRs: an unknown NIR costs no patient space activation and leaves no row but the
/// mass-access guard's counters, answers as a known space that refuses, and counts for the
/// guard, which trips after its limit (docs/access.md).
/// </summary>
public sealed class UnknownPatientTests : AccessTestBase
{
    private const int Limit = 100;
    private const int Guesses = 10_000;
    private const int Concurrency = 8;

    /// <summary>The guard's own tables, and the cluster's membership (heartbeats), which change without any request.</summary>
    private static readonly string[] Unscoped = ["access_rate", "operator_alerts"];

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Access:MaxSpacesPerHour"] = Limit.ToString(CultureInfo.InvariantCulture) };

    [Fact]
    public async Task Ten_thousand_random_NIRs_activate_no_space_write_no_row_and_trip_the_mass_access_guard()
    {
        await AddProfessionalsAsync(Physician);
        var (known, _) = await ActivePatientAsync();
        var waiting = NewPerson();
        await EnrolAsync(waiting);
        using var pro = await ProAsync(Physician);
        using var software = Silo.SoftwareFor(Physician.Rpps);
        var guesses = RandomNirs(Guesses + 5, [known.Nir, waiting.Nir]);

        // What a known space that refuses answers (no authorisation), by search and by upload.
        string knownSearch, knownUpload;
        using (var response = await FindAsync(pro, known))
        {
            knownSearch = await NotFoundShapeAsync(response);
        }

        using (var response = await UploadAsync(software, LabReport(known), Samples.Pdf(), "application/pdf", path: "/api/clients/documents"))
        {
            knownUpload = await NotFoundShapeAsync(response);
        }

        var activations = await PatientSpaceActivationsAsync();
        var rows = await RowCountsAsync();
        var files = ContentFileCount();

        // A few through the software's upload: validated, refused as by a known space, the content never kept.
        foreach (var nir in guesses.Take(5))
        {
            using var response = await UploadAsync(software, LabReport(known with { Nir = nir }), Samples.Pdf(), "application/pdf", path: "/api/clients/documents");
            (await NotFoundShapeAsync(response)).Should().Be(knownUpload);
        }

        var opened = await OpenedAsync($"professional:{Physician.Rpps}");
        var statuses = new int[600];
        string? unknownSearch = null;
        var started = DateTime.UtcNow;
        await Parallel.ForEachAsync(guesses.Skip(5), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (nir, _) =>
        {
            using var response = await FindAsync(pro, known with { Nir = nir });
            Interlocked.Increment(ref statuses[(int)response.StatusCode]);
            if (response.StatusCode == HttpStatusCode.NotFound && unknownSearch is null)
            {
                Interlocked.CompareExchange(ref unknownSearch, await NotFoundShapeAsync(response), null);
            }
        });
        var elapsed = DateTime.UtcNow - started;

        // The same answer as a known space that refuses, until the guard's limit; then 429.
        unknownSearch.Should().Be(knownSearch);
        var notFound = statuses[404];
        var tooMany = statuses[429];
        (notFound + tooMany).Should().Be(Guesses, "every guess is a 404 or a 429, nothing else");
        // Transactions counting concurrently may each see the others' rows uncommitted, so a
        // few more than the limit may pass, at most one per concurrent request.
        notFound.Should().BeInRange(Limit - opened, Limit - opened + Concurrency, "each refused look-up counts for the guard");
        tooMany.Should().BeGreaterThan(Guesses - Limit - Concurrency);

        // No patient space activated, no row written anywhere but the guard's counters, no content kept.
        (await PatientSpaceActivationsAsync()).Should().BeLessThanOrEqualTo(activations, "an unknown NIR must not activate a patient space grain");
        (await UnknownPatientActivationsAsync()).Should().BeLessThanOrEqualTo(MonEspaceSante.Access.UnknownPatient.Buckets);
        (await RowCountsAsync()).Should().BeEquivalentTo(rows, "an unknown NIR must leave no row behind");
        ContentFileCount().Should().Be(files);
        // Even the guard keeps no row per refused guess: once over the limit, the guess is forgotten.
        (await OpenedAsync($"professional:{Physician.Rpps}")).Should().BeLessThanOrEqualTo(Limit + Concurrency);

        using var operatorClient = Silo.Operator();
        var alerts = await operatorClient.GetFromJsonAsync<List<JsonElement>>("/api/operator/alerts");
        alerts!.Select(a => a.GetProperty("actor").GetString()).Should().ContainSingle().Which.Should().Be($"professional:{Physician.Rpps}");

        // Over the limit, a known space not yet opened answers as an unknown one does: 429.
        await ShouldBeProblemAsync(await FindAsync(pro, waiting), HttpStatusCode.TooManyRequests, "too-many-patients");
        await ShouldBeProblemAsync(await FindAsync(pro, known with { Nir = RandomNirs(1, [.. guesses, known.Nir, waiting.Nir])[0] }), HttpStatusCode.TooManyRequests, "too-many-patients");
        elapsed.Should().BeLessThan(TimeSpan.FromSeconds(90), "guessing must stay cheap for the platform");
    }

    /// <summary>Distinct random NIRs with a valid key, none of them in <paramref name="excluded"/>.</summary>
    private static List<string> RandomNirs(int count, IEnumerable<string> excluded)
    {
        var seen = new HashSet<string>(excluded);
        var nirs = new List<string>(count);
        while (nirs.Count < count)
        {
            var random = Random.Shared;
            var first13 = string.Create(CultureInfo.InvariantCulture,
                $"{random.Next(1, 3)}{random.Next(0, 100):D2}{random.Next(1, 13):D2}{random.Next(1, 96):D2}{random.Next(1, 990):D3}{random.Next(1, 1000):D3}");
            if (first13.AsSpan(5, 2) is "20")
            {
                continue;
            }

            var nir = first13 + Nir.ComputeKey(first13).ToString("D2", CultureInfo.InvariantCulture);
            if (Nir.TryParse(nir, out _) && seen.Add(nir))
            {
                nirs.Add(nir);
            }
        }

        return nirs;
    }

    private async Task<int> PatientSpaceActivationsAsync() => await ActivationsAsync("PatientSpaceGrain");

    private async Task<int> UnknownPatientActivationsAsync() => await ActivationsAsync("UnknownPatientGrain");

    /// <summary>Activations of a grain class on the silo, as Orleans' management grain reports them.</summary>
    private async Task<int> ActivationsAsync(string grainClass)
    {
        var statistics = await Silo.Get<IGrainFactory>().GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        return statistics.Where(s => s.GrainType.Contains(grainClass, StringComparison.Ordinal)).Sum(s => s.ActivationCount);
    }

    private async Task<int> OpenedAsync(string actor)
    {
        await using var connection = await Silo.Get<IDatabase>().OpenAsync();
        return await connection.ExecuteScalarAsync<int>("select count(*) from access_rate where actor = @actor", new { actor });
    }

    /// <summary>Rows in every table of the platform but the guard's own, and the cluster's membership.</summary>
    private async Task<Dictionary<string, long>> RowCountsAsync()
    {
        await using var connection = await Silo.Get<IDatabase>().OpenAsync();
        var tables = (await connection.QueryAsync<string>(
            "select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'")).ToList();
        var counts = new Dictionary<string, long>();
        foreach (var table in tables.Where(t => !Unscoped.Contains(t) && !t.StartsWith("orleans", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal))
        {
            counts[table] = await connection.ExecuteScalarAsync<long>($"select count(*) from \"{table}\"");
        }

        return counts;
    }
}
