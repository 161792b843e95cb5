using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Infrastructure;

/// <summary>A silo on its own PostgreSQL database, its clock at a fixed date, with helpers for the account flows.</summary>
public abstract class SpaceTestBase : IAsyncLifetime
{
    public const string Password = "Correct-Horse-42!";
    protected static readonly DateTimeOffset Start = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly TestPostgres postgres = new();
    private readonly TempFolder folder = new();
    private long nextIndex = Random.Shared.Next(1, 900_000);

    protected SiloFactory Silo { get; private set; } = null!;

    protected HttpClient Client { get; private set; } = null!;

    protected DateOnly Today => DateOnly.FromDateTime(Silo.Clock.GetUtcNow().UtcDateTime);

    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>True to run on the embedded default (SQLite in the data folder) instead of PostgreSQL.</summary>
    protected virtual bool Embedded => false;

    /// <summary>
    /// True to serve the silo on Kestrel over loopback rather than the in-memory test server, for
    /// what only a real server does (request body size limits, <c>Expect: 100-continue</c>).
    /// </summary>
    protected virtual bool OverKestrel => false;

    protected string ConnectionString => postgres.ConnectionString;

    /// <summary>The connection string the silo is given: the test database's, unless a test puts something between them.</summary>
    protected virtual string SiloConnectionString(string database) => database;

    protected string DataPath => Path.Combine(folder.Path, "silo-a");

    public async Task InitializeAsync()
    {
        if (!Embedded)
        {
            await postgres.InitializeAsync();
        }

        Silo = new SiloFactory(Embedded ? null : SiloConnectionString(postgres.ConnectionString), DataPath, new ManualTimeProvider(Start), Settings);
        if (OverKestrel)
        {
            Silo.UseKestrel(0);
        }

        Client = Silo.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        try
        {
            await Silo.DisposeAsync();
        }
        catch (OperationCanceledException)
        {
            // A silo whose cluster peer was killed may not finish its graceful stop within the
            // host's shutdown timeout (it still probes the dead silo); what the test claims was
            // asserted before, and the database below is stopped either way.
        }

        if (!Embedded)
        {
            await postgres.DisposeAsync();
        }
        folder.Dispose();
    }

    protected Person NewPerson(bool withEmail = true) => EnrolmentFiles.Person(Interlocked.Increment(ref nextIndex), Today, withEmail);

    /// <summary>Enrols people and delivers their codes (runs the import and notice jobs).</summary>
    protected async Task EnrolAsync(params Person[] people)
    {
        var progress = await Silo.ImportAsync(EnrolmentFiles.Csv(people));
        progress.Accepted.Should().Be(people.Length);
        await Silo.RunJobsAsync();
    }

    protected string CodeOf(Person person) => MailPickup.LastActivationCode(DataPath, person.Email!);

    protected static object ActivationBody(Person person, string code, string? email = null, string? password = null, string? serial = null, string? cardType = null, string? nir = null) => new
    {
        code,
        nir = nir ?? person.Nir,
        vitaleSerial = serial ?? person.VitaleSerial,
        cardType = cardType ?? (person.CardType == "with_photo" ? "WithPhoto" : "WithoutPhoto"),
        email = email ?? person.Email ?? $"{person.Nir}@example.net",
        password = password ?? Password,
    };

    protected async Task<HttpResponseMessage> ActivateAsync(Person person, string code, string? email = null) =>
        await Client.PostAsJsonAsync("/api/activation", ActivationBody(person, code, email));

    /// <summary>Logs in with password and the e-mailed one-time code; returns a client carrying the access token.</summary>
    protected async Task<HttpClient> LoginAsync(string email, string password = Password)
    {
        using var login = await Client.PostAsJsonAsync("/api/auth/login", new { email, password });
        login.StatusCode.Should().Be(HttpStatusCode.OK, await login.Content.ReadAsStringAsync());
        var challenge = await login.Content.ReadFromJsonAsync<JsonElement>();
        await Silo.RunJobsAsync();
        var code = MailPickup.LastLoginCode(DataPath, email);
        using var verify = await Client.PostAsJsonAsync("/api/auth/login/verify", new { email, challengeId = challenge.GetProperty("challengeId").GetGuid(), code });
        verify.StatusCode.Should().Be(HttpStatusCode.OK, await verify.Content.ReadAsStringAsync());
        var token = (await verify.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        var client = Silo.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>How long a temporary refusal says to wait (<c>Retry-After</c> in seconds); fails when it says nothing.</summary>
    protected static TimeSpan RetryAfterOf(HttpResponseMessage response)
    {
        response.Headers.RetryAfter.Should().NotBeNull("a temporary refusal says when to retry");
        return response.Headers.RetryAfter!.Delta ?? throw new InvalidOperationException("Retry-After should be a number of seconds.");
    }

    /// <summary>Checks a problem answer (status, media type, type, no-store); returns its title and detail, to compare two answers.</summary>
    protected static async Task<(string? Title, string? Detail)> ShouldBeProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(status, body);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        response.Headers.CacheControl?.NoStore.Should().BeTrue("every error is no-store");
        var root = JsonDocument.Parse(body).RootElement;
        root.GetProperty("type").GetString().Should().Be("urn:monespacesante:problem:" + code);
        return (root.GetProperty("title").GetString(), root.TryGetProperty("detail", out var detail) ? detail.GetString() : null);
    }
}
