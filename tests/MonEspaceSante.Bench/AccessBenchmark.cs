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
using MonEspaceSante.Documents;
using MonEspaceSante.Enrolment;
using MonEspaceSante.Hosting;
using MonEspaceSante.Identity;
using MonEspaceSante.Spaces;
using MonEspaceSante.Tests.Infrastructure;
using Npgsql;

namespace MonEspaceSante.Bench;

/// <summary>
/// Authorised professionals reading patients' document lists through the real HTTP API, as in
/// production: software acting for a professional, the access decision in the space's grain,
/// the mass-access guard, the hash-chained history entry and the patient's notification, all
/// in the read's transaction. In the same run and at the same concurrency, the raw baseline:
/// the same SQL reads and inserts issued directly with Npgsql in one transaction.
/// </summary>
internal static class AccessBenchmark
{
    private const int Patients = 400;
    private const int Professionals = 20;
    private const int GrantsPerPatient = 4;
    private const int DocumentsPerPatient = 8;
    private const string ClientKey = "bench-hospital-software-key-0123456789";

    public static async Task<int> RunAsync(int reads, int[] concurrencies)
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
                // The guard is measured (its insert runs on every read) but must not stop a benchmark that opens every space.
                ["Access:MaxSpacesPerHour"] = "100000000",
                ["Access:MaxSpacesPerHourPerClient"] = "100000000",
            });
            builder.Logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Warning);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            // Real time, shifted past the 6 weeks once enrolled, so the automatic activation activates everyone.
            var clock = new ShiftedTimeProvider();
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
                $"prepared {Patients} active patients x {DocumentsPerPatient} documents, {Professionals} professionals, {pairs.Count} grants in {setup.Elapsed.TotalSeconds:F0} s"));

            var grains = app.Services.GetRequiredService<IGrainFactory>();
            var maxConcurrency = concurrencies.Max();
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = maxConcurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
            {
                BaseAddress = new Uri(app.Urls.First()),
            };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ClientKey);
            await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 64, AutoPrepareMinUsages = 2 }.ConnectionString);
            await RawAccess.CreateTablesAsync(dataSource);

            // Warm-up of both paths (JIT tiers, pools, prepared statements), not measured.
            await BenchLoad.WarmUpAsync(Math.Min(reads, 2000), BenchLoad.WarmUpTime, maxConcurrency, i => ReadAsync(http, pairs[i % pairs.Count]));
            await BenchLoad.WarmUpAsync(Math.Min(reads, 2000), BenchLoad.WarmUpTime, maxConcurrency, i => RawAccess.RetryingAsync(() => RawReadOnceAsync(dataSource, pairs[i % pairs.Count])));
            await BenchLoad.WarmUpAsync(Math.Min(reads, 2000), TimeSpan.Zero, maxConcurrency, i => GrainReadAsync(grains, pairs[i % pairs.Count]));

            string summary = "";
            foreach (var concurrency in concurrencies)
            {
                var cpu = CpuMeter.Read();
                var (baselineSeconds, baselineLatencies) = await BenchLoad.RunConcurrentAsync(reads, concurrency, i => RawAccess.RetryingAsync(() => RawReadOnceAsync(dataSource, pairs[(i * 7919) % pairs.Count])));
                var baselineCpu = CpuMeter.Read().Since(cpu);
                cpu = CpuMeter.Read();
                var (apiSeconds, latencies) = await BenchLoad.RunConcurrentAsync(reads, concurrency, i => ReadAsync(http, pairs[(i * 7919) % pairs.Count]));
                var apiCpu = CpuMeter.Read().Since(cpu);
                // The same read as a grain call from inside the silo, without HTTP: what the grain
                // design costs over the raw statements, apart from Kestrel and the HTTP client.
                cpu = CpuMeter.Read();
                var (grainSeconds, grainLatencies) = await BenchLoad.RunConcurrentAsync(reads, concurrency, i => GrainReadAsync(grains, pairs[(i * 7919) % pairs.Count]));
                var grainCpu = CpuMeter.Read().Since(cpu);
                var readsPerSecond = reads / apiSeconds;
                var baselinePerSecond = reads / baselineSeconds;
                var grainPerSecond = reads / grainSeconds;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"concurrency={concurrency} reads={reads} api {readsPerSecond:F0}/s p50 {BenchLoad.Percentile(latencies, 0.5):F1} ms p99 {BenchLoad.Percentile(latencies, 0.99):F1} ms {apiCpu.PerOperation(reads)}; baseline {baselinePerSecond:F0}/s p99 {BenchLoad.Percentile(baselineLatencies, 0.99):F1} ms {baselineCpu.PerOperation(reads)}; ratio {readsPerSecond / baselinePerSecond:F2}; grain calls {grainPerSecond:F0}/s p99 {BenchLoad.Percentile(grainLatencies, 0.99):F1} ms {grainCpu.PerOperation(reads)}, grain_ratio {grainPerSecond / baselinePerSecond:F2}"));
                summary = string.Create(CultureInfo.InvariantCulture,
                    $"access reads_per_s={readsPerSecond:F0} baseline_per_s={baselinePerSecond:F0} ratio={readsPerSecond / baselinePerSecond:F2} p99_ms={BenchLoad.Percentile(latencies, 0.99):F0} grain_ratio={grainPerSecond / baselinePerSecond:F2}");
            }

            await app.StopAsync();
            Console.WriteLine(summary);
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

    /// <summary>Active patients with documents, a directory of professionals, and each patient authorising a few of them.</summary>
    private static async Task<List<Pair>> PrepareAsync(IServiceProvider services, string connectionString, string work, ShiftedTimeProvider clock)
    {
        var rppsNumbers = Enumerable.Range(0, Professionals).Select(i => WithLuhn($"2000{i:D6}")).ToArray();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            foreach (var rpps in rppsNumbers)
            {
                // Directory rows as the import writes them: reference data of the benchmark, not what it measures.
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
        var content = Encoding.ASCII.GetBytes("%PDF-1.7\n" + new string('x', 4000) + "\n%%EOF\n");
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

            for (var d = 0; d < DocumentsPerPatient; d++)
            {
                var declaration = new DocumentDeclaration { Category = (DocumentCategory)(d % 7), Title = $"Document {d}", ClinicalDate = new DateOnly(2026, 1, 1).AddDays(d) };
                await using var stream = new MemoryStream(content);
                await services.GetRequiredService<MonEspaceSante.Documents.DocumentVault>().AddAsync(id, patient, declaration, new UploadContent(stream, "application/pdf", content.Length), null);
            }
        }

        return pairs;
    }

    private static async Task ReadAsync(HttpClient http, Pair pair)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/pro/patients/{pair.PatientId}/documents");
        request.Headers.Add("X-Acting-For", pair.Rpps);
        using var response = await http.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"read failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        await response.Content.CopyToAsync(Stream.Null);
    }

    /// <summary>The read the endpoint makes, as the grain call it is, from inside the silo.</summary>
    private static Task<DocumentPage> GrainReadAsync(IGrainFactory grains, Pair pair) =>
        grains.GetPatientDocuments(pair.PatientId).ListAsync(Caller.Professional(Rpps.Parse(pair.Rpps), "bench-hospital", BenchDatabase.Finess), new DocumentFilter());

    /// <summary>The statements one checked document-list read issues, in one transaction, without the platform around them.</summary>
    private static async Task RawReadOnceAsync(NpgsqlDataSource dataSource, Pair pair)
    {
        var spaceId = pair.PatientId.ToString();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await RawAccess.CheckedAccessAsync(connection, transaction, spaceId, pair.Rpps, "ListDocuments", ["patient-space"]);
        const string where = "space_id = $1 and status <> 'Deleted' and status = 'Current' and category = any($2)";
        var categories = Enum.GetNames<DocumentCategory>();
        await using (var count = new NpgsqlCommand($"select count(*) from documents where {where}", connection, transaction))
        {
            count.Parameters.AddWithValue(spaceId);
            count.Parameters.AddWithValue(categories);
            await count.ExecuteScalarAsync();
        }

        await using (var list = new NpgsqlCommand($"select * from documents where {where} order by clinical_date desc, added_at_ms desc, document_id limit 50 offset 0", connection, transaction))
        {
            list.Parameters.AddWithValue(spaceId);
            list.Parameters.AddWithValue(categories);
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
            }
        }

        await transaction.CommitAsync();
    }

    internal static string WithLuhn(string first10)
    {
        for (var check = 0; check < 10; check++)
        {
            var candidate = first10 + check.ToString(CultureInfo.InvariantCulture);
            if (Rpps.IsValid(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("no Luhn digit");
    }

    internal sealed class ShiftedTimeProvider : TimeProvider
    {
        public TimeSpan Shift { get; set; }

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Shift;
    }
}
