using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MonEspaceSante.Enrolment;
using MonEspaceSante.Jobs;
using MonEspaceSante.Spaces;

namespace MonEspaceSante.Tests.Infrastructure;

/// <summary>
/// One silo host in process. Several may share a database to act as several silos. Background
/// loops are off: tests drive jobs and schedulers explicitly, with a clock they move.
/// </summary>
public sealed class SiloFactory(string? connectionString, string dataPath, ManualTimeProvider clock, IDictionary<string, string?>? settings = null)
    : WebApplicationFactory<Program>
{
    public const string OperatorKey = "test-operator-key-0123456789abcdef";
    public const string ClientKey = "test-lab-software-key-0123456789abcdef";
    /// <summary>The facilities the two software keys belong to: they act only for those facilities' professionals.</summary>
    public const string LabFiness = "750000001";
    public const string HospitalFiness = "690000002";
    public const string OtherClientKey = "test-hospital-software-key-0123456789";

    public ManualTimeProvider Clock => clock;

    public string DataPath => dataPath;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("Storage:ConnectionString", connectionString ?? "");
        builder.UseSetting("Storage:DataPath", dataPath);
        builder.UseSetting("Keys:MasterKeyFile", Path.Combine(dataPath, "..", "shared-master.key"));
        builder.UseSetting("Keys:CreateIfMissing", "true");
        builder.UseSetting("Professionals:TestIssuer:KeyFile", Path.Combine(dataPath, "..", "shared-test-issuer.pem"));
        // Many silos run in one test process: each takes a free port for its cluster traffic.
        builder.UseSetting("Orleans:SiloPort", "0");
        builder.UseSetting("Jobs:Enabled", "false");
        builder.UseSetting("Lifecycle:Enabled", "false");
        builder.UseSetting("Notifications:AlertsEnabled", "false");
        builder.UseSetting("Notifications:PruneEnabled", "false");
        builder.UseSetting("Operators:Keys:0:Name", "test-operator");
        builder.UseSetting("Operators:Keys:0:Sha256", Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(OperatorKey))));
        builder.UseSetting("Clients:Keys:0:Name", "lab-system");
        builder.UseSetting("Clients:Keys:0:Sha256", Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(ClientKey))));
        builder.UseSetting("Clients:Keys:0:Finess", LabFiness);
        builder.UseSetting("Clients:Keys:1:Name", "hospital-system");
        builder.UseSetting("Clients:Keys:1:Finess", HospitalFiness);
        builder.UseSetting("Clients:Keys:1:Sha256", Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(OtherClientKey))));
        builder.UseSetting("Content:SweeperEnabled", "false");
        builder.UseSetting("RateLimits:AccountFlowPermits", "1000");
        builder.UseSetting("Professionals:Oidc:Audience", ProfessionalTokens.Audience);
        builder.UseSetting("Professionals:TestIssuer:Enabled", "true");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            // The platform's clock only: Orleans keeps the real one for its membership and timers.
            services.AddKeyedSingleton<TimeProvider>(PlatformClock.Key, clock);
            services.AddSingleton<Orleans.Runtime.IFatalErrorHandler, StopHostOnFatalError>();
            services.AddSingleton<GrainCallGate>();
            services.AddSingleton<IIncomingGrainCallFilter>(sp => sp.GetRequiredService<GrainCallGate>());
            services.AddSingleton<IOutgoingGrainCallFilter>(sp => sp.GetRequiredService<GrainCallGate>());
        });
    }

    public HttpClient Operator()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorKey);
        return client;
    }

    /// <summary>A client authenticated as professionals' software (a lab system, or another one).</summary>
    public HttpClient Software(bool other = false)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", other ? OtherClientKey : ClientKey);
        return client;
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public Task<int> RunJobsAsync() => Get<JobRunner>().RunDueAsync();

    /// <summary>Uploads an enrolment file as an operator and runs the import to its end.</summary>
    public async Task<ImportProgress> ImportAsync(string csv, string? idempotencyKey = null)
    {
        using var client = Operator();
        using var content = new StringContent(csv, Encoding.UTF8, "text/csv");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/operator/enrolments?fileName=test.csv") { Content = content };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await client.SendAsync(request);
        response.IsSuccessStatusCode.Should().BeTrue(await response.Content.ReadAsStringAsync());
        var started = (await response.Content.ReadFromJsonAsync<ImportProgress>(Json.Options))!;
        await RunJobsAsync();
        return (await client.GetFromJsonAsync<ImportProgress>($"/api/operator/enrolments/{started.ImportId}", Json.Options))!;
    }

    public async Task<SpaceStatus?> StatusOfAsync(MonEspaceSante.Identity.Nir nir)
    {
        var id = await Get<SpaceDirectory>().FindByNirAsync(nir);
        if (id is null)
        {
            return null;
        }

        return (await SpaceStateAsync(id.Value))?.Status;
    }

    /// <summary>The space's state as its grain last committed it (the grains table is the system of record).</summary>
    public async Task<PatientSpaceState?> SpaceStateAsync(Guid spaceId)
    {
        await using var connection = await Get<MonEspaceSante.Storage.IDatabase>().OpenAsync();
        var json = await Dapper.SqlMapper.ExecuteScalarAsync<string?>(connection,
            "select cast(state as text) from grains where grain_type = @type and grain_id = @id", new { type = PatientSpaceGrain.GrainType, id = spaceId.ToString() });
        return json is null ? null : System.Text.Json.JsonSerializer.Deserialize<PatientSpaceState>(json, Get<MonEspaceSante.Runtime.GrainJson>().Options);
    }
}
