using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Lifecycle;

/// <summary>The run command on a bare machine: the real silo process, nothing configured, an empty folder.</summary>
public sealed class EmbeddedDefaultTests
{
    [Fact]
    public async Task The_silo_starts_from_an_empty_folder_on_sqlite_prints_its_url_and_answers_health()
    {
        using var folder = new TempFolder();
        var port = SiloProcess.FreePort();
        var silo = SiloProcess.Assembly();
        var start = new ProcessStartInfo("dotnet", [silo, "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = folder.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Remove("Storage__ConnectionString");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        using var process = Process.Start(start)!;
        try
        {
            var printed = new TaskCompletionSource<string>();
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data?.Contains("MonEspaceSante silo listening on", StringComparison.Ordinal) == true)
                {
                    printed.TrySetResult(e.Data);
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var line = await printed.Task.WaitAsync(TimeSpan.FromSeconds(60));
            line.Should().Contain($"http://127.0.0.1:{port}").And.Contain("SQLite");

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            using var health = await http.GetAsync("/health");
            health.StatusCode.Should().Be(HttpStatusCode.OK);
            var report = await health.Content.ReadFromJsonAsync<JsonElement>();
            report.GetProperty("status").GetString().Should().Be("healthy");
            report.GetProperty("storage").GetString().Should().Be("Sqlite");
            File.Exists(Path.Combine(folder.Path, "data", "monespacesante.db")).Should().BeTrue();
            File.Exists(Path.Combine(folder.Path, "data", "master.key")).Should().BeTrue();

            using var openapi = await http.GetAsync("/openapi/v1.json");
            openapi.StatusCode.Should().Be(HttpStatusCode.OK);
            (await openapi.Content.ReadAsStringAsync()).Should().Contain("/api/activation");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
