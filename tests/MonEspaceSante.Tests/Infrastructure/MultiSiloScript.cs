using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace MonEspaceSante.Tests.Infrastructure;

/// <summary>
/// deploy/multi-silo.sh as an operator runs it: two silo processes behind nginx on loopback, on
/// the test's database, sharing the in-process silo's key files. Disposing stops the script the
/// way Ctrl-C or a supervisor would (SIGTERM), so its own cleanup is what is exercised.
/// </summary>
public sealed class MultiSiloScript : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    private MultiSiloScript(Process process, int proxyPort, int[] siloPorts)
    {
        this.process = process;
        ProxyPort = proxyPort;
        SiloPorts = siloPorts;
    }

    public int ProxyPort { get; }

    public IReadOnlyList<int> SiloPorts { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{ProxyPort}");

    public string Output => string.Join('\n', output.TakeLast(60));

    /// <summary>The proxy tests need nginx: tests/run.sh installs it; without it they fail, never skip.</summary>
    public static void RequireNginx()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/sbin").Any(dir => File.Exists(Path.Combine(dir, "nginx")));
        onPath.Should().BeTrue("nginx must be installed (tests/run.sh installs it)");
    }

    public static async Task<MultiSiloScript> StartAsync(string connectionString, SiloFactory shared)
    {
        ArgumentNullException.ThrowIfNull(shared);
        RequireNginx();
        var proxyPort = SiloProcess.FreePort();
        int[] siloPorts = [SiloProcess.FreePort(), SiloProcess.FreePort()];
        var start = new ProcessStartInfo("bash", [Path.Combine(SiloProcess.RepositoryRoot(), "deploy", "multi-silo.sh"), connectionString])
        {
            WorkingDirectory = Path.GetFullPath(Path.Combine(shared.DataPath, "..")),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var environment = new Dictionary<string, string>
        {
            ["MES_PROXY_PORT"] = proxyPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["MES_SILO_PORTS"] = string.Join(' ', siloPorts),
            ["MES_DATA_DIR"] = Path.GetFullPath(Path.Combine(shared.DataPath, "..", "deployment")),
            ["MES_MASTER_KEY_FILE"] = Path.GetFullPath(Path.Combine(shared.DataPath, "..", "shared-master.key")),
            ["MES_TEST_ISSUER_KEY_FILE"] = Path.GetFullPath(Path.Combine(shared.DataPath, "..", "shared-test-issuer.pem")),
            ["MES_SILO_DLL"] = SiloProcess.Assembly(),
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            // The in-process silo runs the jobs: it reads the e-mailed codes from its own folder.
            ["Jobs__Enabled"] = "false",
            ["Lifecycle__Enabled"] = "false",
            ["Content__SweeperEnabled"] = "false",
            ["Logging__LogLevel__Default"] = "Warning",
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
        var script = new MultiSiloScript(process, proxyPort, siloPorts);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                script.output.Enqueue(line);
                if (line.Contains("behind nginx at", StringComparison.Ordinal))
                {
                    ready.TrySetResult();
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                script.output.Enqueue(line);
            }
        };
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("deploy/multi-silo.sh exited:\n" + script.Output));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(90));
        }
        catch
        {
            await script.DisposeAsync();
            throw;
        }

        return script;
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

    /// <summary>SIGTERM, then waits for the script's cleanup; true when it exited in time.</summary>
    public async Task<bool> StopAsync()
    {
        if (!process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>True when something still accepts connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public static bool Listening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!await StopAsync())
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
