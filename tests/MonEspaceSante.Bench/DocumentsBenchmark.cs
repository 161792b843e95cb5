using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MonEspaceSante.Api;
using MonEspaceSante.Bench.SameWork;
using MonEspaceSante.Enrolment;
using MonEspaceSante.Hosting;
using MonEspaceSante.Tests.Infrastructure;
using Npgsql;

namespace MonEspaceSante.Bench;

/// <summary>
/// Concurrent 200 KiB uploads by professionals' software through the real HTTP API (Kestrel on
/// loopback, multipart, format check, encryption, content store, grain calls on PostgreSQL)
/// and, in the same run at the same concurrency, two baselines: the raw one (the same bytes
/// written to files plus one row per document inserted with Npgsql, no HTTP) and the bare
/// server (<see cref="BareUploadServer"/>: the same multipart request from the same client
/// code over HTTP, one file and one row), which is the floor for HTTP, disk and PostgreSQL;
/// and the same-work server (<see cref="SameWorkServer"/>: the same request, with the work the
/// rules require of an upload done without the platform around it), the floor for the work.
/// </summary>
internal static class DocumentsBenchmark
{
    private const int DocumentSize = 200 * 1024;
    private const int People = 200;
    private const string ClientKey = "bench-lab-software-key-0123456789abcdef";
    private const string Biologist = "10003456786";

    public static async Task<int> RunAsync(int uploads, int concurrency, bool s3)
    {
        var admin = Environment.GetEnvironmentVariable("MES_TEST_PG") ?? throw new InvalidOperationException("MES_TEST_PG is not set (use tests/bench.sh).");
        var database = "mes_bench_" + Guid.NewGuid().ToString("N")[..12];
        await BenchDatabase.ExecuteAsync(admin, $"create database {database}");
        var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = database, MaxPoolSize = 100 }.ConnectionString;
        var work = Directory.CreateTempSubdirectory("mes-bench-").FullName;
        try
        {
            var settings = new Dictionary<string, string?>
            {
                ["Storage:ConnectionString"] = connectionString,
                ["Storage:DataPath"] = Path.Combine(work, "data"),
                ["Keys:MasterKeyFile"] = Path.Combine(work, "master.key"),
                ["Keys:CreateIfMissing"] = "true",
                ["Jobs:Enabled"] = "false",
                ["Lifecycle:Enabled"] = "false",
                ["Content:SweeperEnabled"] = "false",
                ["Clients:Keys:0:Name"] = "bench-lab",
                ["Clients:Keys:0:Sha256"] = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(ClientKey))),
                ["Clients:Keys:0:Finess"] = BenchDatabase.Finess,
            };
            if (s3)
            {
                settings["Content:Provider"] = "S3";
                settings["Content:S3:ServiceUrl"] = Environment.GetEnvironmentVariable("MES_TEST_S3") ?? throw new InvalidOperationException("MES_TEST_S3 is not set (use tests/bench.sh documents --s3).");
                settings["Content:S3:Bucket"] = "bench-" + Guid.NewGuid().ToString("N")[..12];
                settings["Content:S3:AccessKey"] = "S3RVER";
                settings["Content:S3:SecretKey"] = "S3RVER";
                settings["Content:S3:CreateBucket"] = "true";
            }

            var builder = WebApplication.CreateBuilder();
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Warning);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.AddMonEspaceSanteSilo();
            builder.Services.AddMonEspaceSanteApi(builder.Configuration);
            await using var app = builder.Build();
            app.UseMonEspaceSanteApi();
            app.MapMonEspaceSanteApi();
            await app.StartAsync();
            var url = app.Urls.First();

            var people = await EnrolAsync(app.Services, work);
            var content = new byte[DocumentSize];
            Random.Shared.NextBytes(content);
            "%PDF-1.7\n"u8.CopyTo(content);

            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
            {
                BaseAddress = new Uri(url),
            };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ClientKey);
            // The lab's software sends as the biologist who signs the reports; the spaces are still
            // waiting for activation, which any professional in the directory may feed.
            http.DefaultRequestHeaders.Add("X-Acting-For", Biologist);
            await BenchDatabase.ExecuteAsync(connectionString,
                "insert into professionals (rpps, last_name, first_name, profession_code, profession, facility_finess, facility_name, city, search_name, search_city, search_first_last, search_profession, updated_at_ms) " +
                $"values ('{Biologist}', 'Bench', 'Biologiste', '10', 'Médecin', '{BenchDatabase.Finess}', 'Laboratoire Bench', 'Paris', 'BENCH BIOLOGISTE', 'PARIS', 'BIOLOGISTE BENCH', 'MEDECIN', 0)");

            var rawFolder = Directory.CreateDirectory(Path.Combine(work, "raw")).FullName;
            await BenchDatabase.ExecuteAsync(connectionString, "create table raw_documents (id text primary key, space_id text not null, size bigint not null, path text not null, added_at_ms bigint not null)");
            await using var dataSource = NpgsqlDataSource.Create(connectionString);

            // The bare server has its own pool, as a separate server would, and writes to the
            // local file system even with --s3: it is the floor for the file-system store.
            await using var bareDataSource = NpgsqlDataSource.Create(connectionString);
            await using var bare = await BareUploadServer.StartAsync("/api/clients/documents", bareDataSource, Directory.CreateDirectory(Path.Combine(work, "bare")).FullName);
            using var bareHttp = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
            {
                BaseAddress = bare.Url,
            };
            // The same headers as the product's client, so both requests are byte for byte alike.
            bareHttp.DefaultRequestHeaders.Authorization = http.DefaultRequestHeaders.Authorization;
            bareHttp.DefaultRequestHeaders.Add("X-Acting-For", Biologist);

            // The same-work server also has its own pool (prepared statements, as the platform's
            // pool has), its own tables and its own spaces, one per enrolled person.
            await using var sameDataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 64, AutoPrepareMinUsages = 2 }.ConnectionString);
            await using var same = await SameWorkServer.StartAsync(sameDataSource, Path.Combine(work, "same"));
            await SameWorkSchema.AddSpacesAsync(sameDataSource, same.Keys, people.Select(p => (p.Nir, p.BirthDate)));
            using var sameHttp = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
            {
                BaseAddress = same.Url,
            };
            sameHttp.DefaultRequestHeaders.Authorization = http.DefaultRequestHeaders.Authorization;
            sameHttp.DefaultRequestHeaders.Add("X-Acting-For", Biologist);

            // Warm-up of every path (JIT tiers, connection pools, the spaces' data keys), not measured.
            // The two servers by time as well (JIT tiers keep improving for seconds on two busy
            // cores); the raw path by count, as at its rate ten seconds would write gigabytes.
            var warmUp = Math.Max(People, uploads / 4);
            await BenchLoad.WarmUpAsync(warmUp, BenchLoad.ContentWarmUpTime, concurrency, i => UploadAsync(http, people[i % People], content, i));
            await BenchLoad.RunConcurrentAsync(warmUp, concurrency, i => RawAsync(dataSource, rawFolder, content, i));
            var bareWarmUp = await BenchLoad.WarmUpAsync(warmUp, BenchLoad.ContentWarmUpTime, concurrency, i => UploadAsync(bareHttp, people[i % People], content, i));
            var sameWarmUp = await BenchLoad.WarmUpAsync(warmUp, BenchLoad.ContentWarmUpTime, concurrency, i => UploadAsync(sameHttp, people[i % People], content, i));
            var cpu = CpuMeter.Read();
            var (baselineSeconds, _) = await BenchLoad.RunConcurrentAsync(uploads, concurrency, i => RawAsync(dataSource, rawFolder, content, i));
            var baselineCpu = CpuMeter.Read().Since(cpu);
            Console.Error.WriteLine("measuring the bare server");
            cpu = CpuMeter.Read();
            var (bareSeconds, bareLatencies) = await BenchLoad.RunConcurrentAsync(uploads, concurrency, i => UploadAsync(bareHttp, people[i % People], content, i));
            var bareCpu = CpuMeter.Read().Since(cpu);
            Console.Error.WriteLine("measuring the same-work server");
            cpu = CpuMeter.Read();
            var (sameSeconds, sameLatencies) = await BenchLoad.RunConcurrentAsync(uploads, concurrency, i => UploadAsync(sameHttp, people[i % People], content, i));
            var sameCpu = CpuMeter.Read().Since(cpu);
            Console.Error.WriteLine("measuring the API");
            cpu = CpuMeter.Read();
            var (apiSeconds, latencies) = await BenchLoad.RunConcurrentAsync(uploads, concurrency, i => UploadAsync(http, people[i % People], content, i));
            var apiCpu = CpuMeter.Read().Since(cpu);

            await app.StopAsync();
            await BareUploadServer.VerifyAsync(bareDataSource, bareWarmUp + uploads, DocumentSize);
            var sameCount = sameWarmUp + uploads;
            await SameWorkSchema.VerifyAsync(sameDataSource, same.Keys, "same_documents", sameCount, sameCount, sameCount, sameCount, same.Content.Count());
            var p50 = BenchLoad.Percentile(latencies, 0.5);
            var p99 = BenchLoad.Percentile(latencies, 0.99);
            var uploadsPerSecond = uploads / apiSeconds;
            var baselinePerSecond = uploads / baselineSeconds;
            var barePerSecond = uploads / bareSeconds;
            var samePerSecond = uploads / sameSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"store={(s3 ? "s3" : "filesystem")} uploads={uploads} concurrency={concurrency} size={DocumentSize} api {apiSeconds:F1} s (p50 {p50:F1} ms), baseline {baselineSeconds:F1} s, bare server {bareSeconds:F1} s (p50 {BenchLoad.Percentile(bareLatencies, 0.5):F1} ms, p99 {BenchLoad.Percentile(bareLatencies, 0.99):F1} ms, {barePerSecond:F0}/s), same-work server {sameSeconds:F1} s (p50 {BenchLoad.Percentile(sameLatencies, 0.5):F1} ms, p99 {BenchLoad.Percentile(sameLatencies, 0.99):F1} ms, {samePerSecond:F0}/s); api {apiCpu.PerOperation(uploads)}, bare {bareCpu.PerOperation(uploads)}, same-work {sameCpu.PerOperation(uploads)}, raw {baselineCpu.PerOperation(uploads)}"));
            // The product's fields first and unchanged, so earlier figures still compare; the
            // bare server's after them, then the same-work server's.
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"documents uploads_per_s={uploadsPerSecond:F0} baseline_per_s={baselinePerSecond:F0} ratio={uploadsPerSecond / baselinePerSecond:F2} p99_ms={p99:F0} bare_per_s={barePerSecond:F0} bare_ratio={uploadsPerSecond / barePerSecond:F2} same_work_per_s={samePerSecond:F0} same_work_ratio={uploadsPerSecond / samePerSecond:F2}"));
            return 0;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await BenchDatabase.ExecuteAsync(admin, $"drop database if exists {database} with (force)");
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<Person[]> EnrolAsync(IServiceProvider services, string work)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var people = Enumerable.Range(0, People).Select(i => EnrolmentFiles.Person(i, today, withEmail: true)).ToArray();
        var file = Path.Combine(work, "people.csv");
        await File.WriteAllTextAsync(file, EnrolmentFiles.Csv(people));
        ImportProgress progress;
        await using (var upload = File.OpenRead(file))
        {
            progress = (await services.GetRequiredService<EnrolmentImports>().CreateAsync(upload, "people.csv", null, "bench")).Progress;
        }

        await services.GetRequiredService<EnrolmentImporter>().RunAsync(progress.ImportId, null, CancellationToken.None);
        return people;
    }

    private static async Task UploadAsync(HttpClient http, Person person, byte[] content, int index)
    {
        var metadata = JsonSerializer.Serialize(new
        {
            patient = new { nir = person.Nir, birthDate = person.BirthDate },
            document = new
            {
                typeCode = "11502-2",
                title = "Bilan " + index.ToString(CultureInfo.InvariantCulture),
                clinicalDate = new DateOnly(2026, 10, 30),
                sourceSoftware = "bench",
                author = new { kind = "Professional", id = "10003456786", name = "Dr Bench" },
            },
        });
        using var form = new MultipartFormDataContent
        {
            { new StringContent(metadata, Encoding.UTF8, "application/json"), "metadata" },
        };
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "content", "report.pdf");
        using var response = await http.PostAsync("/api/clients/documents", form);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"upload failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static async Task RawAsync(NpgsqlDataSource dataSource, string folder, byte[] content, int index)
    {
        var id = Guid.NewGuid().ToString("N");
        var path = Path.Combine(folder, id);
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous))
        {
            await file.WriteAsync(content);
        }

        await using var command = dataSource.CreateCommand("insert into raw_documents (id, space_id, size, path, added_at_ms) values ($1, $2, $3, $4, $5)");
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue((index % People).ToString(CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue((long)content.Length);
        command.Parameters.AddWithValue(path);
        command.Parameters.AddWithValue(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync();
    }
}
