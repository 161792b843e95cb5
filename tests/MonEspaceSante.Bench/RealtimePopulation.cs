using Orleans;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using MonEspaceSante.Access;
using MonEspaceSante.Enrolment;
using MonEspaceSante.Identity;
using MonEspaceSante.Spaces;
using MonEspaceSante.Tests.Infrastructure;
using Npgsql;

namespace MonEspaceSante.Bench;

/// <summary>The realtime benchmark's people: recipient i is an active patient who authorised professional <c>Professionals[i]</c>.</summary>
internal sealed record RealtimePopulation(Guid[] Patients, Caller[] Professionals)
{
    private const int DirectorySize = 20;
    private const int SetupConcurrency = 16;

    /// <summary>
    /// Through the fast paths production has: the enrolment import for the spaces, the automatic
    /// activation once the clock is 43 days on, then one grant per patient through the access grain.
    /// </summary>
    public static async Task<RealtimePopulation> PrepareAsync(IServiceProvider services, string connectionString, string work, ShiftedTimeProvider clock, int count)
    {
        var rppsNumbers = Enumerable.Range(0, DirectorySize).Select(i => WithLuhn($"3000{i:D6}")).ToArray();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            foreach (var rpps in rppsNumbers)
            {
                // Directory rows as the RPPS import writes them: reference data, not what is measured.
                await using var insert = new NpgsqlCommand(
                    "insert into professionals (rpps, last_name, first_name, profession_code, profession, facility_finess, facility_name, city, search_name, search_city, search_first_last, search_profession, updated_at_ms) " +
                    $"values ($1, 'Bench', 'Docteur', '10', 'Médecin', '{BenchDatabase.Finess}', 'Hôpital Bench', 'Paris', 'BENCH DOCTEUR', 'PARIS', 'DOCTEUR BENCH', 'MEDECIN', 0)", connection);
                insert.Parameters.AddWithValue(rpps);
                await insert.ExecuteNonQueryAsync();
            }
        }

        var notified = DateOnly.FromDateTime(DateTime.UtcNow);
        var people = Enumerable.Range(0, count).Select(i => EnrolmentFiles.Person(i, notified, withEmail: true)).ToArray();
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
        var patients = new Guid[count];
        var professionals = new Caller[count];
        await BenchLoad.RunConcurrentAsync(count, SetupConcurrency, async p =>
        {
            var id = (await directory.FindByNirAsync(Nir.Parse(people[p].Nir)))!.Value;
            if (!await grains.GetPatientSpace(id).AutoActivateAsync())
            {
                throw new InvalidOperationException("a benchmark patient did not activate");
            }

            var rpps = rppsNumbers[p % DirectorySize];
            await grains.GetPatientAccess(id).SetProfessionalAsync(Caller.Patient(id), rpps, new GrantRequest(GrantStatus.Authorised, null, null));
            patients[p] = id;
            // The professional's own token (no software in between): the cheapest checked read.
            professionals[p] = Caller.Professional(Rpps.Parse(rpps));
        });
        return new RealtimePopulation(patients, professionals);
    }

    private static string WithLuhn(string first10)
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
}

/// <summary>Real time, shifted once the spaces are enrolled so that the automatic activation applies.</summary>
internal sealed class ShiftedTimeProvider : TimeProvider
{
    public TimeSpan Shift { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Shift;
}
