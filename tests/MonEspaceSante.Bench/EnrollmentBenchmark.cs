using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MonEspaceSante.Enrolment;
using MonEspaceSante.Hosting;
using MonEspaceSante.Spaces;
using MonEspaceSante.Storage;
using MonEspaceSante.Tests.Infrastructure;
using Npgsql;
using NpgsqlTypes;

namespace MonEspaceSante.Bench;

/// <summary>
/// Imports N generated people through the real import path (upload, validation, keyed hashes,
/// state JSON, binary COPY into grains and directory, checkpoints, notice jobs) and, in the same
/// run on the same server, two baselines. The raw one COPYs the same CSV file into a bare
/// unindexed table. The indexed one (<see cref="IndexedCopyAsync"/>) binary-COPYs the very
/// grain and directory rows the import wrote into empty copies of those indexed tables: the
/// floor for storing the same rows, so what the import takes beyond it is its own work.
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

            var indexedSeconds = await IndexedCopyAsync(connectionString, rows);
            var accountsPerSecond = rows / importWatch.Elapsed.TotalSeconds;
            var copyPerSecond = rows / copyWatch.Elapsed.TotalSeconds;
            var indexedPerSecond = rows / indexedSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"import {importWatch.Elapsed.TotalSeconds:F1} s, raw copy {copyWatch.Elapsed.TotalSeconds:F1} s, indexed binary copy of the same grain and directory rows {indexedSeconds:F1} s"));
            // The product's fields first and unchanged, so earlier figures still compare.
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"enrollment rows={rows} accounts_per_s={accountsPerSecond:F0} copy_rows_per_s={copyPerSecond:F0} ratio={accountsPerSecond / copyPerSecond:F2} indexed_copy_rows_per_s={indexedPerSecond:F0} indexed_ratio={accountsPerSecond / indexedPerSecond:F2}"));
            return 0;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await BenchDatabase.ExecuteAsync(admin, $"drop database if exists {database} with (force)");
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>
    /// The indexed baseline, written field for field as <see cref="PostgresBulkWriter"/> writes
    /// (synchronous writes into Npgsql's buffer, the state as UTF-8 bytes typed json). Not timed: reading back, from <c>grains</c> and <c>directory</c>,
    /// every row the import wrote (the patient spaces' grain rows and the NIR directory entries,
    /// the same columns) and creating empty
    /// copies of both tables with all their indexes and constraints. Timed: only the two binary
    /// COPYs of those rows into the copies, in one transaction, as one COPY per table. Not in
    /// it, and in the import: reading and validating the CSV, hashing the NIR and the code,
    /// serialising the state, the directory look-up of every NIR, rejections, notice jobs,
    /// checkpoints, one transaction per 20,000-row batch.
    /// </summary>
    private static async Task<double> IndexedCopyAsync(string connectionString, long expected)
    {
        await BenchDatabase.ExecuteAsync(connectionString,
            "create table indexed_grains (like grains including all); create table indexed_directory (like directory including all)");
        var grainRows = new List<(string GrainId, byte[] State, string Status, long DueAtMs, long UpdatedAtMs)>();
        var directoryRows = new List<(string Key, string GrainId, string ImportId, long Line)>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var read = new NpgsqlCommand(
            "select grain_id, state::text, status, due_at_ms, updated_at_ms, version from grains where grain_type = $1", connection))
        {
            read.Parameters.AddWithValue(PatientSpaceGrain.GrainType);
            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                if (reader.GetInt64(5) != 1)
                {
                    throw new InvalidOperationException("a space's grain row changed after the import: the baseline would not copy what the import wrote");
                }

                grainRows.Add((reader.GetString(0), Encoding.UTF8.GetBytes(reader.GetString(1)), reader.GetString(2), reader.GetInt64(3), reader.GetInt64(4)));
            }
        }

        await using (var read = new NpgsqlCommand("select key, grain_id, import_id, line from directory where kind = $1", connection))
        {
            read.Parameters.AddWithValue(SpaceDirectory.NirKind);
            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                directoryRows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3)));
            }
        }

        if (grainRows.Count != expected || directoryRows.Count != expected)
        {
            throw new InvalidOperationException($"read back {grainRows.Count} grain rows and {directoryRows.Count} directory rows for {expected} accounts");
        }

        var watch = Stopwatch.StartNew();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var grains = await connection.BeginBinaryImportAsync(
            "copy indexed_grains (grain_type, grain_id, version, state, status, due_at_ms, updated_at_ms) from stdin (format binary)"))
        {
            foreach (var row in grainRows)
            {
                grains.StartRow();
                grains.Write(PatientSpaceGrain.GrainType, NpgsqlDbType.Text);
                grains.Write(row.GrainId, NpgsqlDbType.Text);
                grains.Write(1L, NpgsqlDbType.Bigint);
                grains.Write(row.State, NpgsqlDbType.Json);
                grains.Write(row.Status, NpgsqlDbType.Text);
                grains.Write(row.DueAtMs, NpgsqlDbType.Bigint);
                grains.Write(row.UpdatedAtMs, NpgsqlDbType.Bigint);
            }

            await grains.CompleteAsync();
        }

        await using (var directory = await connection.BeginBinaryImportAsync(
            "copy indexed_directory (kind, key, grain_id, import_id, line) from stdin (format binary)"))
        {
            foreach (var row in directoryRows)
            {
                directory.StartRow();
                directory.Write(SpaceDirectory.NirKind, NpgsqlDbType.Text);
                directory.Write(row.Key, NpgsqlDbType.Text);
                directory.Write(row.GrainId, NpgsqlDbType.Text);
                directory.Write(row.ImportId, NpgsqlDbType.Text);
                directory.Write(row.Line, NpgsqlDbType.Bigint);
            }

            await directory.CompleteAsync();
        }

        await transaction.CommitAsync();
        return watch.Elapsed.TotalSeconds;
    }
}
