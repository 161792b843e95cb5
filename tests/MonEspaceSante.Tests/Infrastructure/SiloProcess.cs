using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace MonEspaceSante.Tests.Infrastructure;

/// <summary>
/// A real silo process (<c>dotnet MonEspaceSante.Silo.dll</c>) on 127.0.0.1 and a free port,
/// configured by environment variables as a deployment would be. Disposing kills it.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    private SiloProcess(Process process, int port)
    {
        this.process = process;
        Port = port;
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public bool HasExited => process.HasExited;

    /// <summary>What the process printed, for a failing assertion's message.</summary>
    public string Output => string.Join('\n', output.TakeLast(80));

    /// <summary>
    /// Starts a silo on PostgreSQL with the in-process test silos' key files, so either opens
    /// what the other sealed and accepts the other's tokens. Its background jobs are off: the
    /// tests run them in process (they read the e-mailed codes from that silo's folder).
    /// </summary>
    public static Task<SiloProcess> StartAsync(string connectionString, SiloFactory shared, IDictionary<string, string?>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(shared);
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Storage__ConnectionString"] = connectionString,
            ["Storage__DataPath"] = Path.Combine(shared.DataPath, "..", "process-" + Guid.NewGuid().ToString("N")[..8]),
            ["Keys__MasterKeyFile"] = Path.Combine(shared.DataPath, "..", "shared-master.key"),
            ["Keys__CreateIfMissing"] = "false",
            ["Professionals__TestIssuer__KeyFile"] = Path.Combine(shared.DataPath, "..", "shared-test-issuer.pem"),
            ["Professionals__Oidc__Audience"] = ProfessionalTokens.Audience,
            ["Orleans__SiloPort"] = "0",
            ["Jobs__Enabled"] = "false",
            ["Lifecycle__Enabled"] = "false",
            ["Content__SweeperEnabled"] = "false",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        return StartAsync(environment);
    }

    public static async Task<SiloProcess> StartAsync(IDictionary<string, string?> environment, string? workingDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var port = FreePort();
        var assembly = Assembly();
        var start = new ProcessStartInfo("dotnet", [assembly, "--urls", $"http://127.0.0.1:{port}"])
        {
            // The content root: where appsettings.{Environment}.json sits beside the built silo.
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var key in start.Environment.Keys.Where(k => k.Contains("__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        var silo = new SiloProcess(process, port);
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                silo.output.Enqueue(line);
                if (line.Contains("MonEspaceSante silo listening on", StringComparison.Ordinal))
                {
                    listening.TrySetResult();
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                silo.output.Enqueue(line);
            }
        };
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("The silo exited:\n" + silo.Output));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }

        return silo;
    }

    public HttpClient Client(string? bearer = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return client;
    }

    /// <summary>SIGKILL: no shutdown, no goodbye to connected clients, as a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
        process.Dispose();
    }

    /// <summary>The silo built beside the tests (tests/MonEspaceSante.Tests/bin/{Configuration}/{tfm}/ → silo/bin/{Configuration}/{tfm}/).</summary>
    public static string Assembly()
    {
        var bin = new DirectoryInfo(AppContext.BaseDirectory);
        var tfm = bin.Name;
        var configuration = bin.Parent!.Name;
        var path = Path.Combine(RepositoryRoot(), "silo", "bin", configuration, tfm, "MonEspaceSante.Silo.dll");
        File.Exists(path).Should().BeTrue($"the silo must be built at {path}");
        return path;
    }

    public static string RepositoryRoot() => new DirectoryInfo(AppContext.BaseDirectory).Parent!.Parent!.Parent!.Parent!.Parent!.FullName;

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
