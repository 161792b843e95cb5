using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MonEspaceSante.Enrolment;
using MonEspaceSante.Jobs;
using MonEspaceSante.Letters;
using MonEspaceSante.Mail;
using MonEspaceSante.Runtime;
using MonEspaceSante.Security;
using MonEspaceSante.Sessions;
using MonEspaceSante.Spaces;
using MonEspaceSante.Storage;
using Npgsql;

namespace MonEspaceSante.Hosting;

public static class GrainsServiceCollectionExtensions
{
    /// <summary>
    /// Wires storage (PostgreSQL when <c>Storage:ConnectionString</c> is set, else SQLite in
    /// <c>Storage:DataPath</c>), keys, the grain runtime, grains, jobs and schedulers.
    /// </summary>
    public static IServiceCollection AddMonEspaceSanteGrains(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        // PDFsharp 6.5 (the only version our registry carries) is AGPL-3.0 and refuses to render
        // until the host selects a licence. This project is open source and accepts the AGPL
        // terms for it: docs/decisions.md.
        PdfSharp.PdfSharpLicense.SetAgplLicense();
        var storage = configuration.GetSection("Storage").Get<StorageOptions>() ?? new StorageOptions();
        if (!string.IsNullOrWhiteSpace(storage.ConnectionString))
        {
            storage.Provider = DatabaseProvider.Postgres;
        }

        var dataPath = Path.GetFullPath(storage.DataPath);
        services.AddSingleton(Options.Create(storage));
        services.TryAddSingleton(TimeProvider.System);

        if (storage.Provider == DatabaseProvider.Postgres)
        {
            services.AddSingleton(_ => new PostgresDatabase(NpgsqlDataSource.Create(storage.ConnectionString!)));
            services.AddSingleton<IDatabase>(sp => sp.GetRequiredService<PostgresDatabase>());
            services.AddSingleton<IEnrolmentBulkWriter, PostgresBulkWriter>();
        }
        else
        {
            services.AddSingleton<IDatabase>(_ => new SqliteDatabase(Path.Combine(dataPath, "monespacesante.db")));
            services.AddSingleton<IEnrolmentBulkWriter, SqliteBulkWriter>();
        }

        var keyFile = configuration["Keys:MasterKeyFile"] ?? Path.Combine(dataPath, "master.key");
        var createKey = configuration.GetValue("Keys:CreateIfMissing", storage.Provider == DatabaseProvider.Sqlite);
        services.AddSingleton(_ => KeyRing.FromFile(keyFile, createKey));
        services.AddSingleton<Sealer>();

        services.Configure<SpaceOptions>(configuration.GetSection("Spaces"));
        services.Configure<LifecycleOptions>(configuration.GetSection("Lifecycle"));
        services.Configure<JobRunnerOptions>(configuration.GetSection("Jobs"));
        services.Configure<EnrolmentOptions>(o => o.UploadPath = Path.Combine(dataPath, "imports"));
        services.Configure<EnrolmentOptions>(configuration.GetSection("Enrolment"));
        services.Configure<MailOptions>(o => o.PickupDirectory = Path.Combine(dataPath, "mail"));
        services.Configure<MailOptions>(configuration.GetSection("Mail"));

        services.AddSingleton<Migrator>();
        services.AddSingleton<GrainRuntime>();
        services.AddSingleton<SpaceDirectory>();
        services.AddSingleton<SessionStore>();
        services.AddSingleton<SpaceStatistics>();
        services.AddSingleton<MailQueue>();
        services.AddSingleton(_ => new LetterOutbox(configuration["Letters:Path"] ?? Path.Combine(dataPath, "letters")));
        services.AddSingleton<ActivationNotices>();
        services.AddSingleton<IPasswordHasher<PatientSpaceState>>(_ => new PasswordHasher<PatientSpaceState>(
            Options.Create(new PasswordHasherOptions { CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3 })));
        services.AddSingleton<PatientSpaceServices>();
        services.AddSingleton<EnrolmentImports>();
        services.AddSingleton<EnrolmentImporter>();
        services.AddSingleton<IGrainFactory, GrainFactory>();
        services.AddSingleton<AccountService>();

        services.AddSingleton<JobQueue>();
        services.AddSingleton<IJobHandler>(sp => sp.GetRequiredService<ActivationNotices>());
        services.AddSingleton<IJobHandler>(sp => sp.GetRequiredService<EnrolmentImporter>());
        services.AddSingleton<IJobHandler, SmtpMailSender>();

        // Migrations run before the background services start (hosted services start in order).
        if (configuration.GetValue("Storage:MigrateOnStartup", true))
        {
            services.AddHostedService<MigrationHostedService>();
        }

        services.AddSingleton<JobRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<JobRunner>());
        services.AddSingleton<LifecycleScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<LifecycleScheduler>());
        return services;
    }

    private static void TryAddSingleton<T>(this IServiceCollection services, T instance)
        where T : class
    {
        if (!services.Any(d => d.ServiceType == typeof(T)))
        {
            services.AddSingleton(instance);
        }
    }
}

internal sealed class MigrationHostedService(Migrator migrator) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => migrator.MigrateAsync(cancellationToken: cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
