using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MonEspaceSante.Content;
using MonEspaceSante.Access;
using MonEspaceSante.Documents;
using MonEspaceSante.Messaging;
using MonEspaceSante.Notifications;
using MonEspaceSante.Enrolment;
using MonEspaceSante.Jobs;
using MonEspaceSante.Letters;
using MonEspaceSante.Mail;
using MonEspaceSante.Professionals;
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
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider) && Equals(d.ServiceKey, PlatformClock.Key)))
        {
            services.AddKeyedSingleton(PlatformClock.Key, TimeProvider.System);
        }

        if (storage.Provider == DatabaseProvider.Postgres)
        {
            services.AddSingleton(_ => new PostgresDatabase(NpgsqlDataSource.Create(WithAutoPrepare(storage.ConnectionString!))));
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
        services.Configure<DocumentOptions>(configuration.GetSection("Documents"));
        services.Configure<AccessOptions>(configuration.GetSection("Access"));
        services.Configure<MessagingOptions>(configuration.GetSection("Messaging"));
        services.Configure<ProfessionalOptions>(configuration.GetSection("Professionals"));
        services.Configure<AlertOptions>(configuration.GetSection("Notifications"));
        services.AddContentStore(configuration, dataPath);

        services.AddSingleton<Migrator>();
        services.AddSingleton<FeedSignal>();
        services.AddSingleton<GrainJson>();
        services.AddSingleton<GrainCalls>();
        services.AddSingleton<SpaceDirectory>();
        services.AddSingleton<SessionStore>();
        services.AddSingleton<SpaceStatistics>();
        services.AddSingleton<MailQueue>();
        services.AddSingleton(_ => new LetterOutbox(configuration["Letters:Path"] ?? Path.Combine(dataPath, "letters")));
        services.AddSingleton<ActivationNotices>();
        services.AddSingleton<IPasswordHasher<PatientSpaceState>>(_ => new PasswordHasher<PatientSpaceState>(
            Options.Create(new PasswordHasherOptions { CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3 })));
        services.AddSingleton<PatientSpaceServices>();
        services.AddSingleton<DocumentServices>();
        services.AddSingleton<DocumentVault>();
        services.AddSingleton<UnknownPatient>();
        services.AddSingleton<MassAccessGuard>();
        services.AddSingleton<AccessGate>();
        services.AddSingleton<AccessServices>();
        services.AddSingleton<OperatorAlerts>();
        services.AddSingleton<FeedStream>();
        services.AddSingleton<MessagingServices>();
        services.AddSingleton<MailboxPost>();
        services.AddSingleton<EnrolmentImports>();
        services.AddSingleton<EnrolmentImporter>();
        services.AddSingleton<ProfessionalWriter>();
        services.AddSingleton<ProfessionalImporter>();
        services.AddSingleton<ProfessionalCache>();
        services.AddSingleton<ProfessionalDirectory>();
        services.AddSingleton<AccountService>();

        services.AddSingleton<JobQueue>();
        services.AddSingleton<IJobHandler>(sp => sp.GetRequiredService<ActivationNotices>());
        services.AddSingleton<IJobHandler>(sp => sp.GetRequiredService<EnrolmentImporter>());
        services.AddSingleton<IJobHandler, SmtpMailSender>();
        services.AddSingleton<IJobHandler, DocumentReleases>();

        // Migrations run before the background services start (hosted services start in order).
        if (configuration.GetValue("Storage:MigrateOnStartup", true))
        {
            services.AddHostedService<MigrationHostedService>();
        }

        services.AddSingleton<JobRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<JobRunner>());
        services.AddSingleton<LifecycleScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<LifecycleScheduler>());
        services.AddSingleton<AlertDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertDispatcher>());
        services.AddSingleton<FeedRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<FeedRetention>());
        return services;
    }

    /// <summary>
    /// The content store (<c>Content:Provider</c>: FileSystem by default, S3 or AzureBlob), the data keys
    /// that encrypt what goes into it, and the sweeper of orphaned objects.
    /// </summary>
    private static void AddContentStore(this IServiceCollection services, IConfiguration configuration, string dataPath)
    {
        var content = configuration.GetSection("Content").Get<ContentOptions>() ?? new ContentOptions();
        services.AddSingleton(Options.Create(content));
        if (string.Equals(content.Provider, "S3", StringComparison.OrdinalIgnoreCase))
        {
            services.AddSingleton(_ => new S3ContentStore(content.S3));
            services.AddSingleton<IContentStore>(sp => sp.GetRequiredService<S3ContentStore>());
            if (content.S3.CreateBucket)
            {
                services.AddHostedService(sp => new S3BucketHostedService(sp.GetRequiredService<S3ContentStore>()));
            }
        }
        else if (string.Equals(content.Provider, "AzureBlob", StringComparison.OrdinalIgnoreCase))
        {
            services.AddSingleton(_ => new AzureBlobContentStore(content.AzureBlob));
            services.AddSingleton<IContentStore>(sp => sp.GetRequiredService<AzureBlobContentStore>());
            if (content.AzureBlob.CreateContainer)
            {
                services.AddHostedService(sp => new AzureBlobContainerHostedService(sp.GetRequiredService<AzureBlobContentStore>()));
            }
        }
        else if (string.Equals(content.Provider, "FileSystem", StringComparison.OrdinalIgnoreCase))
        {
            var root = Path.GetFullPath(content.Path ?? Path.Combine(dataPath, "content"));
            services.AddSingleton<IContentStore>(_ => new FileSystemContentStore(root));
        }
        else
        {
            throw new InvalidOperationException($"Unknown Content:Provider '{content.Provider}' (FileSystem, S3 or AzureBlob).");
        }

        services.AddSingleton<DataKeys>();
        services.AddSingleton<ContentOrphans>();
        services.AddHostedService<ContentSweeper>();
    }

    /// <summary>
    /// Grain calls send the same statements over and over; letting Npgsql prepare them spares
    /// the server parsing and planning each one again (64 was too few: the upload path's
    /// statements were still parsed on every call). Every grain call borrows a pooled connection
    /// and gives it back: the silo never changes session state (no SET, no session-level locks,
    /// temporary tables dropped at commit), so the reset Npgsql would otherwise run on each
    /// return (RESET ALL, DISCARD and the rest, on the server) is skipped. A deployment's own
    /// setting wins for the statements; the reset is skipped always.
    /// </summary>
    private static string WithAutoPrepare(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 256;
            builder.AutoPrepareMinUsages = 2;
        }

        builder.NoResetOnClose = true;
        return builder.ConnectionString;
    }
}

internal sealed class S3BucketHostedService(S3ContentStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.EnsureBucketAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

internal sealed class AzureBlobContainerHostedService(AzureBlobContentStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.EnsureContainerAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

internal sealed class MigrationHostedService(Migrator migrator) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => migrator.MigrateAsync(cancellationToken: cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
