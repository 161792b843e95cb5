using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MonEspaceSante.Enrolment;
using MonEspaceSante.Hosting;
using MonEspaceSante.Storage;
using MonEspaceSante.Tests.Infrastructure;
using Npgsql;

namespace MonEspaceSante.Bench;

/// <summary>
/// Imports N generated people through the real import path (upload, validation, keyed hashes,
/// state JSON, binary COPY into grains and directory, checkpoints, notice jobs) and, in the same
/// run on the same server, COPYs the same file into a bare table: the raw baseline.
/// </summary>
internal static class EnrollmentBenchmark
{
    public static async Task<int> RunAsync(long rows)
    {
        var admin = Environment.GetEnvironmentVariable("MES_TEST_PG") ?? throw new InvalidOperationException("MES_TEST_PG is not set (use tests/bench.sh).");
        var database = "mes_bench_" + Guid.NewGuid().ToString("N")[..12];
        await BenchDatabase.ExecuteAsync(admin, $"create database {database}");
        var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString;
        var work = Directory.CreateTempSubdirectory("mes-bench-").FullName;
        try
        {
            var file = Path.Combine(work, "enrolment.csv");
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            await using (var writer = new StreamWriter(file))
            {
                await writer.WriteAsync(EnrolmentFiles.Header + "\n");
                for (long i = 0; i < rows; i++)
                {
                    await writer.WriteAsync(EnrolmentFiles.Person(i, today, withEmail: i % 10 != 0).ToCsvLine() + "\n");
                }
            }

            Console.WriteLine($"generated {rows} rows ({new FileInfo(file).Length / 1024 / 1024} MiB)");

            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:ConnectionString"] = connectionString,
                ["Storage:DataPath"] = Path.Combine(work, "data"),
                ["Keys:MasterKeyFile"] = Path.Combine(work, "master.key"),
                ["Keys:CreateIfMissing"] = "true",
            }).Build();
            await using var services = new ServiceCollection().AddLogging().AddMonEspaceSanteGrains(configuration).BuildServiceProvider();
            await services.GetRequiredService<Migrator>().MigrateAsync();

            // Raw baseline: PostgreSQL parsing and COPYing the very same file into a bare table.
            await BenchDatabase.ExecuteAsync(connectionString,
                "create table raw_enrolment (nir text, birth_name text, first_names text, birth_date text, sex text, email text, postal_address text, vitale_serial text, vitale_card_type text, notification_date text)");
            var copyWatch = Stopwatch.StartNew();
            await using (var connection = new NpgsqlConnection(connectionString))
            {
                await connection.OpenAsync();
                await using var copy = await connection.BeginTextImportAsync("copy raw_enrolment from stdin (format csv, header true, delimiter ';')");
                using var source = new StreamReader(file);
                var buffer = new char[1 << 16];
                int read;
                while ((read = await source.ReadAsync(buffer)) > 0)
                {
                    await copy.WriteAsync(buffer.AsMemory(0, read));
                }
            }

            copyWatch.Stop();

            var imports = services.GetRequiredService<EnrolmentImports>();
            var importer = services.GetRequiredService<EnrolmentImporter>();
            var importWatch = Stopwatch.StartNew();
            ImportProgress progress;
            await using (var upload = File.OpenRead(file))
            {
                progress = (await imports.CreateAsync(upload, "bench.csv", null, "bench")).Progress;
            }

            await importer.RunAsync(progress.ImportId, null, CancellationToken.None);
            importWatch.Stop();
            progress = (await imports.GetAsync(progress.ImportId))!;
            if (progress.Accepted != rows)
            {
                Console.Error.WriteLine($"import accepted {progress.Accepted} of {rows} rows ({progress.Rejected} rejected): {progress.Error}");
                return 1;
            }

            var accountsPerSecond = rows / importWatch.Elapsed.TotalSeconds;
            var copyPerSecond = rows / copyWatch.Elapsed.TotalSeconds;
            Console.WriteLine($"import {importWatch.Elapsed.TotalSeconds:F1} s, raw copy {copyWatch.Elapsed.TotalSeconds:F1} s");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"enrollment rows={rows} accounts_per_s={accountsPerSecond:F0} copy_rows_per_s={copyPerSecond:F0} ratio={accountsPerSecond / copyPerSecond:F2}"));
            return 0;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await BenchDatabase.ExecuteAsync(admin, $"drop database if exists {database} with (force)");
            Directory.Delete(work, recursive: true);
        }
    }
}
