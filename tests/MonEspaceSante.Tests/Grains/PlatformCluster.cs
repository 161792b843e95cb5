using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MonEspaceSante.Enrolment;
using MonEspaceSante.Hosting;
using MonEspaceSante.Identity;
using MonEspaceSante.Jobs;
using MonEspaceSante.Professionals;
using MonEspaceSante.Runtime;
using MonEspaceSante.Spaces;
using MonEspaceSante.Storage;
using MonEspaceSante.Tests.Infrastructure;
using Npgsql;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime.Hosting;
using Orleans.TestingHost;

namespace MonEspaceSante.Tests.Grains;

/// <summary>
/// The platform's own grains and services on a two-silo Orleans test cluster (in process) whose
/// membership, grain state and rows are in one PostgreSQL database, shared by a test class. The
/// silos share a data folder and master key as a deployment's silos do; background loops are off
/// and the platform's clock stands still, so tests run jobs themselves and an hour is one hour.
/// </summary>
public abstract class PlatformCluster : IAsyncLifetime
{
    public const string Password = "Correct-Horse-42!";
    public static readonly DateTimeOffset Start = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    // Silos are built by type from configuration: each cluster finds its clock here by id.
    private static readonly ConcurrentDictionary<string, ManualTimeProvider> Clocks = new();

    private readonly TestPostgres postgres = new();
    private readonly TempFolder folder = new();
    private readonly string clockId = Guid.NewGuid().ToString("N");
    private long nextPerson = Random.Shared.Next(1, 900_000);

    public TestCluster Cluster { get; private set; } = null!;

    public ManualTimeProvider Clock { get; } = new(Start);

    public string ConnectionString => postgres.ConnectionString;

    public DateOnly Today => DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);

    /// <summary>Settings of this cluster's silos beyond the common ones.</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        await postgres.InitializeAsync();
        await using (var database = new PostgresDatabase(NpgsqlDataSource.Create(postgres.ConnectionString)))
        {
            // Once, before either silo starts: two silos migrating at once would race.
            await new Migrator(database, TimeProvider.System, NullLogger<Migrator>.Instance).MigrateAsync();
        }

        var masterKey = Path.Combine(folder.Path, "master.key");
        await File.WriteAllTextAsync(masterKey, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        Clocks[clockId] = Clock;

        var settings = new Dictionary<string, string?>
        {
            ["Test:ClockId"] = clockId,
            ["Storage:ConnectionString"] = postgres.ConnectionString,
            ["Storage:DataPath"] = Path.Combine(folder.Path, "data"),
            ["Storage:MigrateOnStartup"] = "false",
            ["Keys:MasterKeyFile"] = masterKey,
            ["Keys:CreateIfMissing"] = "false",
            ["Jobs:Enabled"] = "false",
            ["Lifecycle:Enabled"] = "false",
            ["Notifications:AlertsEnabled"] = "false",
            ["Notifications:PruneEnabled"] = "false",
            ["Content:SweeperEnabled"] = "false",
        };
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }

        var builder = new TestClusterBuilder(2);
        builder.Options.UseTestClusterMembership = false;
        builder.ConfigureHostConfiguration(c => c.AddInMemoryCollection(settings));
        builder.AddSiloBuilderConfigurator<PlatformSilo>();
        builder.AddClientBuilderConfigurator<PlatformClient>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        await SetUpAsync();
    }

    /// <summary>What a test class needs once its cluster runs (directory entries, mailboxes).</summary>
    protected virtual Task SetUpAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        Clocks.TryRemove(clockId, out _);
        await postgres.DisposeAsync();
        folder.Dispose();
    }

    /// <summary>The services of silo 0 or 1.</summary>
    public IServiceProvider Services(int silo) => ((InProcessSiloHandle)Cluster.Silos[silo]).ServiceProvider;

    /// <summary>Grains as seen from inside silo 0 or 1: a call made there starts on that silo.</summary>
    public IGrainFactory FromSilo(int silo) => Services(silo).GetRequiredService<IGrainFactory>();

    public string MailFolder => Path.Combine(folder.Path, "data");

    /// <summary>Writes professionals into the directory, as the RPPS import does.</summary>
    public async Task AddProfessionalsAsync(params ProfessionalInfo[] professionals) =>
        await Services(0).GetRequiredService<ProfessionalWriter>().UpsertAsync(
            professionals.Select(ProfessionalRecord.From).ToList(), Clock.GetUtcNow().ToUnixTimeMilliseconds(), CancellationToken.None);

    /// <summary>Enrols one new person as the insurer's file does and delivers their code; returns them, their space and their code.</summary>
    public async Task<EnrolledPerson> EnrolAsync()
    {
        var person = EnrolmentFiles.Person(Interlocked.Increment(ref nextPerson), Today);
        var imports = Services(0).GetRequiredService<EnrolmentImports>();
        await using (var csv = new MemoryStream(Encoding.UTF8.GetBytes(EnrolmentFiles.Csv([person]))))
        {
            await imports.CreateAsync(csv, "enrolment.csv", null, "test-operator");
        }

        // The import job creates the space, then the notice job e-mails its code.
        var jobs = Services(1).GetRequiredService<JobRunner>();
        var passes = 0;
        while (passes++ < 10 && await jobs.RunDueAsync() > 0)
        {
            // Until no job is due: each pass may queue the next step's job.
        }

        var nir = Nir.TryParse(person.Nir, out var parsed) ? parsed : throw new InvalidOperationException("generated an invalid NIR");
        var spaceId = await Services(0).GetRequiredService<SpaceDirectory>().FindByNirAsync(nir)
            ?? throw new InvalidOperationException("the enrolment created no space");
        return new EnrolledPerson(person, nir, spaceId, MailPickup.LastActivationCode(MailFolder, person.Email!));
    }

    /// <summary>Enrols a person and activates their space with the code they received, from silo <paramref name="silo"/>.</summary>
    public async Task<EnrolledPerson> ActivatedAsync(int silo = 0)
    {
        var enrolled = await EnrolAsync();
        var summary = await FromSilo(silo).GetGrain<IPatientSpaceGrain>(enrolled.SpaceId).ActivateAsync(enrolled.Activation());
        summary.Status.Should().Be(SpaceStatus.Active);
        return enrolled;
    }

    private sealed class PlatformClient : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = configuration["Storage:ConnectionString"]!;
            });
    }

    /// <summary>A silo as <see cref="SiloHostingExtensions.AddMonEspaceSanteSilo"/> makes one, without its HTTP side.</summary>
    private sealed class PlatformSilo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var configuration = siloBuilder.Configuration;
            var clock = Clocks[configuration["Test:ClockId"]!];
            siloBuilder.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = configuration["Storage:ConnectionString"]!;
            });
            siloBuilder.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(2);
                o.NumMissedProbesLimit = 3;
            });

            // The platform's clock only: Orleans keeps the real one for membership and timers.
            siloBuilder.Services.AddKeyedSingleton<TimeProvider>(PlatformClock.Key, clock);
            siloBuilder.Services.AddMonEspaceSanteGrains(configuration);
            siloBuilder.Services.AddGrainStorage(GrainStateStorage.ProviderName, (sp, _) => new GrainStateStorage(
                sp.GetRequiredService<IDatabase>(), sp.GetRequiredService<GrainJson>().Options, clock));
        }
    }
}

/// <summary>An insured person whose space exists, with the code their notice carried.</summary>
public sealed record EnrolledPerson(Person Person, Nir Nir, Guid SpaceId, string Code)
{
    public string Email => Person.Email!;

    public Caller Patient => Caller.Patient(SpaceId);

    public ActivationRequest Activation() => new(
        Code, Nir, Person.VitaleSerial, Person.CardType == "with_photo" ? VitaleCardType.WithPhoto : VitaleCardType.WithoutPhoto, Email, PlatformCluster.Password, null);

    public MonEspaceSante.Access.PatientSearch Search(string? birthName = null) =>
        new(Person.Nir, Person.BirthDate, birthName ?? Person.BirthName, null);
}
