using System.Diagnostics;

namespace MonEspaceSante.Bench;

/// <summary>The clients' process (this benchmark binary run as <see cref="RealtimeClients.Command"/>), talked to over its standard input and output.</summary>
internal sealed class RealtimeClientProcess(Process process) : IAsyncDisposable
{
    public static RealtimeClientProcess Start(Uri hubUrl, string ticketsFile, string resultsFile)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            // Run as `dotnet <dll>`: the child needs the dll too.
            start.ArgumentList.Add(typeof(RealtimeClientProcess).Assembly.Location);
        }

        foreach (var argument in new[] { RealtimeClients.Command, hubUrl.ToString(), ticketsFile, resultsFile })
        {
            start.ArgumentList.Add(argument);
        }

        return new RealtimeClientProcess(Process.Start(start) ?? throw new InvalidOperationException("the clients' process did not start"));
    }

    /// <summary>CPU the clients used so far.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    public async Task<string> ReadLineAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        return await process.StandardOutput.ReadLineAsync(cancel.Token) ?? throw new InvalidOperationException("the clients' process ended early");
    }

    /// <summary>Asks the clients to write what they received and close; returns what they printed meanwhile once they have.</summary>
    public async Task<List<string>> StopAsync()
    {
        await process.StandardInput.WriteLineAsync("stop");
        await process.StandardInput.FlushAsync();
        var printed = new List<string>();
        string line;
        while ((line = await ReadLineAsync(TimeSpan.FromMinutes(2))) != "stopped")
        {
            printed.Add(line);
        }

        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(cancel.Token);
        return printed;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            // Only this benchmark's own child, by its handle.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
