using System.Reflection;
using MonEspaceSante.Api.Problems;
using MonEspaceSante.Runtime;
using MonEspaceSante.Spaces;
using NetArchTest.Rules;

namespace MonEspaceSante.Tests.Architecture;

/// <summary>
/// The borders between projects (docs/architecture.md): contracts depend on nothing of ours, the
/// API reaches storage only through grains and services, and a grain class holds rules, not SQL.
/// The types that still cross a border are listed by name, so a new crossing fails here and the
/// list only shrinks: a type that stops crossing must leave it too.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly string[] Storage = ["MonEspaceSante.Storage", "Dapper", "Npgsql", "Microsoft.Data.Sqlite", "System.Data.Common"];

    private static readonly Assembly Contracts = typeof(IPatientSpaceGrain).Assembly;
    private static readonly Assembly Grains = typeof(TransactionalGrain<>).Assembly;
    private static readonly Assembly Api = typeof(ErrorResponses).Assembly;

    /// <summary>API types that still read tables themselves; each is to move behind a grain or an infrastructure service.</summary>
    private static readonly string[] ApiReachingStorage =
    [
        "MonEspaceSante.Api.Health.HealthEndpoints",                // probes the database itself
        "MonEspaceSante.Api.Patients.PatientEndpoints",             // reads the holder's feed from its table
        "MonEspaceSante.Api.Problems.StorageFailures",              // tells an unreachable database from other failures by its exception types
        "MonEspaceSante.Api.Realtime.LiveStreamSubscriptions",      // renews live leases
        "MonEspaceSante.Api.Realtime.NotificationHub",              // resumes from the feed
        "MonEspaceSante.Api.Realtime.RealtimeEndpoints",            // the event stream and the professionals' feed page
        "MonEspaceSante.Api.Realtime.RelayConnections",             // the relay's own connection pool
    ];

    /// <summary>Grain classes that still hold SQL; each is to call row stores, as the health profile's grain does.</summary>
    private static readonly string[] GrainsHoldingSql =
    [
        "MonEspaceSante.Messaging.MailboxGrain",
        "MonEspaceSante.Professionals.ProfessionalGrain",
        "MonEspaceSante.Runtime.TransactionalGrain`1",              // the base that opens a call's transaction, not a rule holder
    ];

    /// <summary>Grain-side classes (facets, services) that still hold SQL; each is to move to a row store beside storage.</summary>
    private static readonly string[] GrainSideHoldingSql =
    [
        "MonEspaceSante.Access.AccessGate",
        "MonEspaceSante.Access.AccessHistory",
        "MonEspaceSante.Access.MassAccessGuard",
        "MonEspaceSante.Access.OperatorAlerts",
        "MonEspaceSante.Access.SpaceAccess",
        "MonEspaceSante.Content.ContentOrphans",
        "MonEspaceSante.Documents.CareWatchers",
        "MonEspaceSante.Documents.SpaceDocuments",
        "MonEspaceSante.Enrolment.EnrolmentImporter",
        "MonEspaceSante.Enrolment.EnrolmentImports",
        "MonEspaceSante.Enrolment.IEnrolmentBulkWriter",
        "MonEspaceSante.Enrolment.PostgresBulkWriter",
        "MonEspaceSante.Enrolment.SqliteBulkWriter",
        "MonEspaceSante.Hosting.GrainsServiceCollectionExtensions",
        "MonEspaceSante.Jobs.JobQueue",
        "MonEspaceSante.Messaging.MailboxGrain",
        "MonEspaceSante.Notifications.AlertDispatcher",
        "MonEspaceSante.Notifications.FeedRetention",
        "MonEspaceSante.Notifications.FeedStream",
        "MonEspaceSante.Notifications.FeedWriter",
        "MonEspaceSante.Notifications.LiveLeases",
        "MonEspaceSante.Professionals.ProfessionalCache",
        "MonEspaceSante.Professionals.ProfessionalDirectory",
        "MonEspaceSante.Professionals.ProfessionalGrain",
        "MonEspaceSante.Professionals.ProfessionalLookup",
        "MonEspaceSante.Professionals.ProfessionalWriter",
        "MonEspaceSante.Runtime.GrainContext`1",
        "MonEspaceSante.Sessions.SessionStore",
        "MonEspaceSante.Spaces.ActivationNotices",
        "MonEspaceSante.Spaces.LifecycleScheduler",
        "MonEspaceSante.Spaces.SpaceDirectory",
        "MonEspaceSante.Spaces.SpaceLifecycle",
        "MonEspaceSante.Spaces.SpaceStatistics",
    ];

    [Fact]
    public void Contracts_reference_no_project_of_ours()
    {
        Contracts.GetReferencedAssemblies().Select(a => a.Name).Should().NotContain(name => name!.StartsWith("MonEspaceSante.", StringComparison.Ordinal),
            "grain interfaces and their records are what every side shares; they depend on none of them");
    }

    [Fact]
    public void The_api_reaches_storage_only_through_the_types_still_listed()
    {
        var result = Types.InAssembly(Api).ShouldNot().HaveDependencyOnAny(Storage).GetResult();
        ShouldCrossOnlyAsListed(result, ApiReachingStorage, "an endpoint asks a grain or a service; it never opens a connection or names a table");
    }

    [Fact]
    public void Grain_classes_hold_no_SQL_but_the_ones_still_listed()
    {
        var result = Types.InAssembly(Grains).That().Inherit(typeof(Orleans.Grain)).ShouldNot().HaveDependencyOnAny(Storage).GetResult();
        ShouldCrossOnlyAsListed(result, GrainsHoldingSql, "a grain holds the rules over its state and reaches its side tables through row stores");
    }

    [Fact]
    public void Grain_side_classes_hold_no_SQL_but_the_ones_still_listed()
    {
        var result = Types.InAssembly(Grains).That().DoNotResideInNamespace("MonEspaceSante.Storage")
            .ShouldNot().HaveDependencyOnAny("Dapper", "System.Data.Common").GetResult();
        ShouldCrossOnlyAsListed(result, GrainSideHoldingSql, "rules over a grain's state call row stores; SQL lives with storage");
    }

    /// <summary>The types that cross are exactly those listed: none new, none that stopped crossing still listed.</summary>
    private static void ShouldCrossOnlyAsListed(TestResult result, string[] listed, string rule)
    {
        // A lambda's closure or a state machine stands for the type that declares it.
        var crossing = (result.FailingTypeNames ?? []).Select(n => n.Split('+', '/')[0]).Distinct().ToList();
        var added = crossing.Except(listed).Order(StringComparer.Ordinal).ToList();
        added.Should().BeEmpty($"{rule}; newly crossing: {string.Join(", ", added)}");
        var left = listed.Except(crossing).Order(StringComparer.Ordinal).ToList();
        left.Should().BeEmpty($"these no longer cross, so leave the list: {string.Join(", ", left)}");
    }
}
