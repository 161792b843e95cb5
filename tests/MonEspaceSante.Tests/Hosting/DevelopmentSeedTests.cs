using System.Diagnostics;
using System.Net;
using System.Text.Json;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Hosting;

/// <summary>The README's promise to a new developer: a silo in Development and, a minute later, a patient session.</summary>
public sealed class DevelopmentSeedTests
{
    [Fact]
    public async Task The_development_script_enrols_activates_and_logs_in_a_patient_on_a_fresh_silo()
    {
        using var folder = new TempFolder();
        var data = Path.Combine(folder.Path, "data");
        await using var silo = await SiloProcess.StartAsync(new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Storage__DataPath"] = data,
            ["Orleans__SiloPort"] = "0",
            ["Logging__LogLevel__Default"] = "Warning",
        });

        var script = new ProcessStartInfo("bash", [Path.Combine(SiloProcess.RepositoryRoot(), "deploy", "dev-patient.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        script.Environment["MES_URL"] = silo.BaseAddress.ToString().TrimEnd('/');
        script.Environment["MES_DATA"] = data;
        using var run = Process.Start(script)!;
        var stdout = run.StandardOutput.ReadToEndAsync();
        var stderr = run.StandardError.ReadToEndAsync();
        await run.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        run.ExitCode.Should().Be(0, await stderr + "\n" + silo.Output);

        var token = (await stdout).Trim();
        token.Should().NotBeEmpty();
        using var patient = silo.Client(token);
        using var me = await patient.GetAsync("/api/me");
        me.StatusCode.Should().Be(HttpStatusCode.OK, await me.Content.ReadAsStringAsync());
        var email = JsonDocument.Parse(await me.Content.ReadAsStringAsync()).RootElement.GetProperty("email").GetString();
        (await stderr).Should().Contain(email!, "the script names the patient it made");
    }
}
