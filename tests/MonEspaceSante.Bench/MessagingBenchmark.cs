using Orleans;
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
using MonEspaceSante.Hosting;
using MonEspaceSante.Identity;
using MonEspaceSante.Spaces;
using Npgsql;
using NpgsqlTypes;

namespace MonEspaceSante.Bench;

/// <summary>
/// Text messages with one 100 KiB PDF attachment between random pairs among 10,000 mailboxes,
/// sent through the real HTTP API (multipart, format check, encryption, content store, the
/// mailbox grain's rules and the copies, the recipient's notification, on PostgreSQL). Two
/// baselines in the same run at the same concurrency: the raw one, the same rows inserted with
/// Npgsql (both copies, the rate counter, the notification) and the same bytes written to a
/// file, no HTTP; and the bare server (<see cref="BareUploadServer"/>), the same multipart
/// request from the same client code over HTTP, one file and one row. And the same-work server
/// (<see cref="SameWorkServer"/>): the same request, with the work the rules require of a send
/// done without the platform around it.
/// </summary>
internal static class MessagingBenchmark
{
    private const int Mailboxes = 10_000;
    private const int AttachmentSize = 100 * 1024;
    private const string ClientKey = "bench-messaging-software-key-0123456789";

    public static async Task<int> RunAsync(int sends, int concurrency)
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
                ["Clients:Keys:0:Name"] = "bench-messaging",
                ["Clients:Keys:0:Sha256"] = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(ClientKey))),
                ["Clients:Keys:0:Finess"] = BenchDatabase.Finess,
            });
            builder.Logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Warning);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.AddMonEspaceSanteSilo();
            builder.Services.AddMonEspaceSanteApi(builder.Configuration);
            await using var app = builder.Build();
            app.UseMonEspaceSanteApi();
            app.MapMonEspaceSanteApi();
            await app.StartAsync();

            var (rpps, addresses) = await PrepareAsync(app.Services, connectionString);
            var attachment = new byte[AttachmentSize];
            Random.Shared.NextBytes(attachment);
            "%PDF-1.7\n"u8.CopyTo(attachment);

            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
            {
                BaseAddress = new Uri(app.Urls.First()),
            };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ClientKey);
            await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 64, AutoPrepareMinUsages = 2 }.ConnectionString);
            await using (var create = dataSource.CreateCommand(
                "create table raw_messages (like messages including defaults including indexes); create table raw_message_rate (like message_rate including indexes); " +
                "create table raw_feed_heads (like feed_heads including defaults including indexes); create table raw_notifications (like notifications including defaults including identity including indexes);"))
            {
                await create.ExecuteNonQueryAsync();
            }

            var rawFolder = Directory.CreateDirectory(Path.Combine(work, "raw")).FullName;
            (int From, int To) Pair(int i)
            {
                // Random pairs, reproducible, never a mailbox to itself.
                var from = (int)((uint)(i * 2654435761) % Mailboxes);
                var to = (from + 1 + (int)((uint)(i * 40503) % (Mailboxes - 1))) % Mailboxes;
                return (from, to);
            }

            // The bare server has its own pool, as a separate server would.
            await using var bareDataSource = NpgsqlDataSource.Create(connectionString);
            await using var bare = await BareUploadServer.StartAsync("/api/pro/mailbox/messages", bareDataSource, Directory.CreateDirectory(Path.Combine(work, "bare")).FullName);
            using var bareHttp = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
            {
                BaseAddress = bare.Url,
            };
            // The same headers as the product's client, so both requests are byte for byte alike.
            bareHttp.DefaultRequestHeaders.Authorization = http.DefaultRequestHeaders.Authorization;

            // The same-work server: its own pool (prepared statements, as the platform's pool has),
            // its own tables, and the same 10,000 mailboxes with the platform's ids and addresses.
            await using var sameDataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 64, AutoPrepareMinUsages = 2 }.ConnectionString);
            await using var same = await SameWorkServer.StartAsync(sameDataSource, Path.Combine(work, "same"));
            await SameWorkSchema.AddMailboxesAsync(sameDataSource, Enumerable.Range(0, Mailboxes).Select(i => ("professional:" + rpps[i], addresses[i], "Docteur Bench" + i.ToString(CultureInfo.InvariantCulture))));
            using var sameHttp = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
            {
                BaseAddress = same.Url,
            };
            sameHttp.DefaultRequestHeaders.Authorization = http.DefaultRequestHeaders.Authorization;

            // The two servers by time as well, as in the documents benchmark; the raw path by count.
            var warmUp = Math.Max(200, sends / 4);
            await BenchLoad.WarmUpAsync(warmUp, BenchLoad.ContentWarmUpTime, concurrency, i => SendAsync(http, rpps, addresses, Pair(sends + i), attachment, i));
            await BenchLoad.RunConcurrentAsync(warmUp, concurrency, i => RawAsync(dataSource, rawFolder, addresses, Pair(sends + i), attachment));
            var bareWarmUp = await BenchLoad.WarmUpAsync(warmUp, BenchLoad.ContentWarmUpTime, concurrency, i => SendAsync(bareHttp, rpps, addresses, Pair(sends + i), attachment, i));
            var sameWarmUp = await BenchLoad.WarmUpAsync(warmUp, BenchLoad.ContentWarmUpTime, concurrency, i => SendAsync(sameHttp, rpps, addresses, Pair(sends + i), attachment, i));
            var cpu = CpuMeter.Read();
            var (baselineSeconds, _) = await BenchLoad.RunConcurrentAsync(sends, concurrency, i => RawAsync(dataSource, rawFolder, addresses, Pair(i), attachment));
            var baselineCpu = CpuMeter.Read().Since(cpu);
            Console.Error.WriteLine("measuring the bare server");
            cpu = CpuMeter.Read();
            var (bareSeconds, bareLatencies) = await BenchLoad.RunConcurrentAsync(sends, concurrency, i => SendAsync(bareHttp, rpps, addresses, Pair(i), attachment, i));
            var bareCpu = CpuMeter.Read().Since(cpu);
            Console.Error.WriteLine("measuring the same-work server");
            cpu = CpuMeter.Read();
            var (sameSeconds, sameLatencies) = await BenchLoad.RunConcurrentAsync(sends, concurrency, i => SendAsync(sameHttp, rpps, addresses, Pair(i), attachment, i));
            var sameCpu = CpuMeter.Read().Since(cpu);
            Console.Error.WriteLine("measuring the API");
            cpu = CpuMeter.Read();
            var (apiSeconds, latencies) = await BenchLoad.RunConcurrentAsync(sends, concurrency, i => SendAsync(http, rpps, addresses, Pair(i), attachment, i));
            var apiCpu = CpuMeter.Read().Since(cpu);
            await app.StopAsync();
            await BareUploadServer.VerifyAsync(bareDataSource, bareWarmUp + sends, AttachmentSize);
            // Two copies a message, no history entry, one notification, one object.
            var sameCount = sameWarmUp + sends;
            await SameWorkSchema.VerifyAsync(sameDataSource, same.Keys, "same_messages", 2L * sameCount, 0, sameCount, sameCount, same.Content.Count());

            var sendsPerSecond = sends / apiSeconds;
            var baselinePerSecond = sends / baselineSeconds;
            var barePerSecond = sends / bareSeconds;
            var samePerSecond = sends / sameSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"mailboxes={Mailboxes} sends={sends} concurrency={concurrency} attachment={AttachmentSize} api {apiSeconds:F1} s (p50 {BenchLoad.Percentile(latencies, 0.5):F1} ms), baseline {baselineSeconds:F1} s, bare server {bareSeconds:F1} s (p50 {BenchLoad.Percentile(bareLatencies, 0.5):F1} ms, p99 {BenchLoad.Percentile(bareLatencies, 0.99):F1} ms, {barePerSecond:F0}/s), same-work server {sameSeconds:F1} s (p50 {BenchLoad.Percentile(sameLatencies, 0.5):F1} ms, p99 {BenchLoad.Percentile(sameLatencies, 0.99):F1} ms, {samePerSecond:F0}/s); api {apiCpu.PerOperation(sends)}, bare {bareCpu.PerOperation(sends)}, same-work {sameCpu.PerOperation(sends)}, raw {baselineCpu.PerOperation(sends)}"));
            // The product's fields first and unchanged, so earlier figures still compare; the
            // bare server's after them, then the same-work server's.
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"messaging sends_per_s={sendsPerSecond:F0} baseline_per_s={baselinePerSecond:F0} ratio={sendsPerSecond / baselinePerSecond:F2} p99_ms={BenchLoad.Percentile(latencies, 0.99):F0} bare_per_s={barePerSecond:F0} bare_ratio={sendsPerSecond / barePerSecond:F2} same_work_per_s={samePerSecond:F0} same_work_ratio={sendsPerSecond / samePerSecond:F2}"));
            return 0;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await BenchDatabase.ExecuteAsync(admin, $"drop database if exists {database} with (force)");
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>10,000 professionals in the directory (reference data, by COPY) and their mailboxes, opened through the grains.</summary>
    private static async Task<(string[] Rpps, string[] Addresses)> PrepareAsync(IServiceProvider services, string connectionString)
    {
        var rpps = new string[Mailboxes];
        for (var i = 0; i < Mailboxes; i++)
        {
            var first10 = "3" + i.ToString("D9", CultureInfo.InvariantCulture);
            rpps[i] = Enumerable.Range(0, 10).Select(c => first10 + c.ToString(CultureInfo.InvariantCulture)).First(Rpps.IsValid);
        }

        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var copy = await connection.BeginBinaryImportAsync(
                "copy professionals (rpps, last_name, first_name, profession_code, profession, facility_finess, search_name, search_first_last, search_profession, updated_at_ms) from stdin (format binary)");
            for (var i = 0; i < Mailboxes; i++)
            {
                var last = "Bench" + i.ToString(CultureInfo.InvariantCulture);
                await copy.StartRowAsync();
                await copy.WriteAsync(rpps[i], NpgsqlDbType.Text);
                await copy.WriteAsync(last, NpgsqlDbType.Text);
                await copy.WriteAsync("Docteur", NpgsqlDbType.Text);
                await copy.WriteAsync("10", NpgsqlDbType.Text);
                await copy.WriteAsync("Médecin", NpgsqlDbType.Text);
                await copy.WriteAsync(BenchDatabase.Finess, NpgsqlDbType.Text);
                await copy.WriteAsync(last.ToUpperInvariant() + " DOCTEUR", NpgsqlDbType.Text);
                await copy.WriteAsync("DOCTEUR " + last.ToUpperInvariant(), NpgsqlDbType.Text);
                await copy.WriteAsync("MEDECIN", NpgsqlDbType.Text);
                await copy.WriteAsync(0L, NpgsqlDbType.Bigint);
            }

            await copy.CompleteAsync();
        }

        var grains = services.GetRequiredService<IGrainFactory>();
        var addresses = new string[Mailboxes];
        await Parallel.ForAsync(0, Mailboxes, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            addresses[i] = (await grains.GetProfessionalMailbox(Rpps.Parse(rpps[i])).GetAsync(Caller.System)).Address);
        return (rpps, addresses);
    }

    private static async Task SendAsync(HttpClient http, string[] rpps, string[] addresses, (int From, int To) pair, byte[] attachment, int index)
    {
        var message = JsonSerializer.Serialize(new
        {
            to = new[] { addresses[pair.To] },
            subject = "Compte rendu " + index.ToString(CultureInfo.InvariantCulture),
            body = "Bonjour, veuillez trouver ci-joint le compte rendu. Bien confraternellement.",
        });
        using var form = new MultipartFormDataContent { { new StringContent(message, Encoding.UTF8, "application/json"), "message" } };
        var file = new ByteArrayContent(attachment);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "attachment", "compte-rendu.pdf");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/pro/mailbox/messages") { Content = form };
        request.Headers.Add("X-Acting-For", rpps[pair.From]);
        using var response = await http.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"send failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>The same bytes to a file and the same rows, in one transaction, without the platform around them.</summary>
    private static async Task RawAsync(NpgsqlDataSource dataSource, string folder, string[] addresses, (int From, int To) pair, byte[] attachment)
    {
        var messageId = Guid.NewGuid().ToString();
        var path = Path.Combine(folder, messageId);
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous))
        {
            await file.WriteAsync(attachment);
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var from = "professional:" + pair.From.ToString(CultureInfo.InvariantCulture);
        var to = "professional:" + pair.To.ToString(CultureInfo.InvariantCulture);
        var attachments = $"[{{\"fileName\":\"compte-rendu.pdf\",\"format\":\"Pdf\",\"size\":{attachment.Length},\"contentKey\":\"{path}\"}}]";
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var rate = new NpgsqlCommand("insert into raw_message_rate (sender, hour, sent) values ($1, $2, 1) on conflict (sender, hour) do update set sent = raw_message_rate.sent + 1 returning sent", connection, transaction))
        {
            rate.Parameters.AddWithValue(from);
            rate.Parameters.AddWithValue(now / 3_600_000);
            await rate.ExecuteScalarAsync();
        }

        foreach (var (mailbox, folderName) in new[] { (from, "Sent"), (to, "Inbox") })
        {
            await using var insert = new NpgsqlCommand(
                "insert into raw_messages (mailbox_id, message_id, conversation_id, folder, archived, sender, sender_name, to_addresses, copy_addresses, subject, body, attachments, search_text, sent_at_ms, read_at_ms) " +
                "values ($1, $2, $2, $3, 0, $4, 'Docteur Bench', $5, '', 'Compte rendu', 'Bonjour, veuillez trouver ci-joint le compte rendu.', $6, 'COMPTE RENDU DOCTEUR BENCH', $7, null)", connection, transaction);
            insert.Parameters.AddWithValue(mailbox);
            insert.Parameters.AddWithValue(messageId);
            insert.Parameters.AddWithValue(folderName);
            insert.Parameters.AddWithValue(addresses[pair.From]);
            insert.Parameters.AddWithValue(addresses[pair.To]);
            insert.Parameters.AddWithValue(attachments);
            insert.Parameters.AddWithValue(now);
            await insert.ExecuteNonQueryAsync();
        }

        await using (var notify = new NpgsqlCommand(
            "with head as (insert into raw_feed_heads (recipient_id, last_seq) values ($1, 1) on conflict (recipient_id) do update set last_seq = raw_feed_heads.last_seq + 1 returning last_seq) " +
            "insert into raw_notifications (recipient_id, seq, id, kind, payload, created_at_ms) select $1, head.last_seq, $2, 'message.received', cast($3 as jsonb), $4 from head", connection, transaction))
        {
            notify.Parameters.AddWithValue(to);
            notify.Parameters.AddWithValue(Guid.NewGuid());
            notify.Parameters.AddWithValue("{\"messageId\":\"" + messageId + "\",\"from\":\"Docteur Bench\"}");
            notify.Parameters.AddWithValue(now);
            await notify.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }
}
