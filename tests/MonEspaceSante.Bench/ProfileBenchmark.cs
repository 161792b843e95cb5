using Orleans;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MonEspaceSante.Access;
using MonEspaceSante.Api;
using MonEspaceSante.Enrolment;
using MonEspaceSante.HealthProfiles;
using MonEspaceSante.Hosting;
using MonEspaceSante.Identity;
using MonEspaceSante.Spaces;
using MonEspaceSante.Tests.Infrastructure;
using Npgsql;

namespace MonEspaceSante.Bench;

/// <summary>
/// Authorised professionals' software reading filled health profiles through the real HTTP API:
/// the access decision, mass-access guard, hash-chained history entry and notification in the
/// space's grain, then the profile served from the profile grain's memory. In the same run and
/// at the same concurrency, the raw baseline: the statements an access makes (space row,
/// directory, guard, history, feed) and a select of the profile's row, in one transaction.
/// </summary>
internal static class ProfileBenchmark
{
    private const int Patients = 200;
    private const int Professionals = 20;
    private const int GrantsPerPatient = 4;
    private const int EntriesPerSection = 4;
    private const int Measurements = 16;
    private const int Concurrency = 16;
    private const string ClientKey = "bench-hospital-software-key-0123456789";

    public static async Task<int> RunAsync(int reads)
    {
        var admin = Environment.GetEnvironmentVariable("MES_TEST_PG") ?? throw new InvalidOperationException("MES_TEST_PG is not set (use tests/bench.sh).");
        var database = "mes_bench_" + Guid.NewGuid().ToString("N")[..12];
        await BenchDatabase.ExecuteAsync(admin, $"create database {database}");
        var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = database, MaxPoolSize = 100 }.ConnectionString;
        var work = Directory.CreateTempSubdirectory("mes-bench-").FullName;
        try
        {
            var builder = WebApplication.CreateBuilder();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:ConnectionString"] = connectionString,
                ["Storage:DataPath"] = Path.Combine(work, "data"),
                ["Keys:MasterKeyFile"] = Path.Combine(work, "master.key"),
                ["Keys:CreateIfMissing"] = "true",
                ["Jobs:Enabled"] = "false",
                ["Lifecycle:Enabled"] = "false",
                ["Content:SweeperEnabled"] = "false",
                ["Clients:Keys:0:Name"] = "bench-hospital",
                ["Clients:Keys:0:Sha256"] = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(ClientKey))),
                ["Clients:Keys:0:Finess"] = BenchDatabase.Finess,
                ["Access:MaxSpacesPerHour"] = "100000000",
                ["Access:MaxSpacesPerHourPerClient"] = "100000000",
            });
            builder.Logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Warning);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var clock = new AccessBenchmark.ShiftedTimeProvider();
            builder.Services.AddKeyedSingleton<TimeProvider>(PlatformClock.Key, clock);
            builder.AddMonEspaceSanteSilo();
            builder.Services.AddMonEspaceSanteApi(builder.Configuration);
            await using var app = builder.Build();
            app.UseMonEspaceSanteApi();
            app.MapMonEspaceSanteApi();
            await app.StartAsync();

            var setup = Stopwatch.StartNew();
            var pairs = await PrepareAsync(app.Services, connectionString, work, clock);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"prepared {Patients} active patients with filled health profiles ({(7 * EntriesPerSection) + Measurements} entries each), {Professionals} professionals, {pairs.Count} grants in {setup.Elapsed.TotalSeconds:F0} s"));

            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
            {
                BaseAddress = new Uri(app.Urls.First()),
            };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ClientKey);
            await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 64, AutoPrepareMinUsages = 2 }.ConnectionString);
            await RawAccess.CreateTablesAsync(dataSource);

            // Warm-up of both paths, not measured.
            var bytes = 0L;
            var warmUps = await BenchLoad.WarmUpAsync(Math.Min(reads, 2000), BenchLoad.WarmUpTime, Concurrency, async i => Interlocked.Add(ref bytes, await ReadAsync(http, pairs[i % pairs.Count])));
            await BenchLoad.WarmUpAsync(Math.Min(reads, 2000), BenchLoad.WarmUpTime, Concurrency, i => RawAccess.RetryingAsync(() => RawReadOnceAsync(dataSource, pairs[i % pairs.Count])));

            var (baselineSeconds, baselineLatencies) = await BenchLoad.RunConcurrentAsync(reads, Concurrency, i => RawAccess.RetryingAsync(() => RawReadOnceAsync(dataSource, pairs[(i * 7919) % pairs.Count])));
            var (apiSeconds, latencies) = await BenchLoad.RunConcurrentAsync(reads, Concurrency, i => ReadAsync(http, pairs[(i * 7919) % pairs.Count]));
            var readsPerSecond = reads / apiSeconds;
            var baselinePerSecond = reads / baselineSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"concurrency={Concurrency} reads={reads} profile ~{bytes / warmUps} bytes of JSON; api {readsPerSecond:F0}/s p50 {BenchLoad.Percentile(latencies, 0.5):F1} ms p99 {BenchLoad.Percentile(latencies, 0.99):F1} ms; baseline {baselinePerSecond:F0}/s p99 {BenchLoad.Percentile(baselineLatencies, 0.99):F1} ms"));
            await app.StopAsync();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"profile reads_per_s={readsPerSecond:F0} baseline_per_s={baselinePerSecond:F0} ratio={readsPerSecond / baselinePerSecond:F2} p99_ms={BenchLoad.Percentile(latencies, 0.99):F0}"));
            return 0;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await BenchDatabase.ExecuteAsync(admin, $"drop database if exists {database} with (force)");
            Directory.Delete(work, recursive: true);
        }
    }

    private sealed record Pair(Guid PatientId, string Rpps);

    /// <summary>Active patients, each with a filled health profile and a few professionals authorised.</summary>
    private static async Task<List<Pair>> PrepareAsync(IServiceProvider services, string connectionString, string work, AccessBenchmark.ShiftedTimeProvider clock)
    {
        var rppsNumbers = Enumerable.Range(0, Professionals).Select(i => AccessBenchmark.WithLuhn($"3000{i:D6}")).ToArray();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            foreach (var rpps in rppsNumbers)
            {
                await using var insert = new NpgsqlCommand(
                    "insert into professionals (rpps, last_name, first_name, profession_code, profession, facility_finess, facility_name, city, search_name, search_city, search_first_last, search_profession, updated_at_ms) " +
                    $"values ($1, 'Bench', 'Docteur', '10', 'Médecin', '{BenchDatabase.Finess}', 'Hôpital Bench', 'Paris', 'BENCH DOCTEUR', 'PARIS', 'DOCTEUR BENCH', 'MEDECIN', 0)", connection);
                insert.Parameters.AddWithValue(rpps);
                await insert.ExecuteNonQueryAsync();
            }
        }

        var notified = DateOnly.FromDateTime(DateTime.UtcNow);
        var people = Enumerable.Range(0, Patients).Select(i => EnrolmentFiles.Person(i, notified, withEmail: true)).ToArray();
        var file = Path.Combine(work, "people.csv");
        await File.WriteAllTextAsync(file, EnrolmentFiles.Csv(people));
        ImportProgress progress;
        await using (var upload = File.OpenRead(file))
        {
            progress = (await services.GetRequiredService<EnrolmentImports>().CreateAsync(upload, "people.csv", null, "bench")).Progress;
        }

        await services.GetRequiredService<EnrolmentImporter>().RunAsync(progress.ImportId, null, CancellationToken.None);
        clock.Shift = TimeSpan.FromDays(43);
        var grains = services.GetRequiredService<IGrainFactory>();
        var directory = services.GetRequiredService<SpaceDirectory>();
        var pairs = new List<Pair>();
        var day = new DateOnly(2025, 1, 1);
        for (var p = 0; p < people.Length; p++)
        {
            var id = (await directory.FindByNirAsync(Nir.Parse(people[p].Nir)))!.Value;
            if (!await grains.GetPatientSpace(id).AutoActivateAsync())
            {
                throw new InvalidOperationException("a benchmark patient did not activate");
            }

            var patient = Caller.Patient(id);
            for (var g = 0; g < GrantsPerPatient; g++)
            {
                var rpps = rppsNumbers[(p + g) % Professionals];
                await grains.GetPatientAccess(id).SetProfessionalAsync(patient, rpps, new GrantRequest(GrantStatus.Authorised, null, null));
                pairs.Add(new Pair(id, rpps));
            }

            var profile = grains.GetHealthProfile(id);
            for (var e = 0; e < EntriesPerSection; e++)
            {
                await profile.AddAsync(patient, new MedicalHistoryItem(MedicalHistoryKind.Illness, $"Antécédent {e}", day.AddDays(-e * 300), null, "Suivi annuel"), null);
                await profile.AddAsync(patient, new TreatmentItem($"Médicament {e} 500 mg", "1 comprimé matin et soir", day, null), null);
                await profile.AddAsync(patient, new AllergyItem($"Allergène {e}", "Urticaire", AllergySeverity.Moderate, null, null), null);
                await profile.AddAsync(patient, new FamilyHistoryItem("Mère", $"Condition {e}", null), null);
                await profile.AddAsync(patient, new VaccinationItem($"Vaccin {e}", day.AddDays(-e * 30), $"LOT{e:D4}", null), null);
                await profile.AddAsync(patient, new ContactItem($"Contact {e}", "Proche", "+33 6 12 34 56 78", null), null);
                await profile.AddAsync(patient, new FollowerItem(rppsNumbers[(p + e) % Professionals], null, null, "Suivi", null), null);
            }

            for (var m = 0; m < Measurements; m++)
            {
                await profile.AddAsync(patient, new MeasurementItem(MeasurementKind.Weight, 70 + (m / 10m), null, "kg", day.AddDays(-m * 7), null), null);
            }

            await profile.SetWishesAsync(patient, new HealthWishes(OrganDonationChoice.Accepts, "Pas d'acharnement thérapeutique.", null), null);
        }

        return pairs;
    }

    private static async Task<long> ReadAsync(HttpClient http, Pair pair)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/pro/patients/{pair.PatientId}/health-profile");
        request.Headers.Add("X-Acting-For", pair.Rpps);
        using var response = await http.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"read failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        return (await response.Content.ReadAsByteArrayAsync()).LongLength;
    }

    /// <summary>The statements one checked profile read issues, in one transaction, without the platform around them.</summary>
    private static async Task RawReadOnceAsync(NpgsqlDataSource dataSource, Pair pair)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await RawAccess.CheckedAccessAsync(connection, transaction, pair.PatientId.ToString(), pair.Rpps, "ReadHealthProfile", ["patient-space", "health-profile"]);
        await transaction.CommitAsync();
    }
}
