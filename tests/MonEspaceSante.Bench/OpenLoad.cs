using System.Diagnostics;

namespace MonEspaceSante.Bench;

/// <summary>
/// Open-loop load: operation i starts at i / rate seconds whether or not the earlier ones have
/// ended, as independent users would, so a slow server shows as latency instead of a lower rate.
/// </summary>
internal static class OpenLoad
{
    /// <summary>Starts <paramref name="count"/> operations at <paramref name="perSecond"/>; returns the seconds the starts took once every operation ended.</summary>
    public static async Task<double> RunAsync(int count, double perSecond, Func<int, Task> operation)
    {
        var operations = new Task[count];
        var started = new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously);
        // A thread of its own: the pacer keeps time even when the thread pool is busy.
        var pacer = new Thread(() =>
        {
            var watch = Stopwatch.StartNew();
            var next = 0;
            while (next < count)
            {
                var due = Math.Min(count, (int)(watch.Elapsed.TotalSeconds * perSecond) + 1);
                for (; next < due; next++)
                {
                    var i = next;
                    operations[i] = Task.Run(() => operation(i));
                }

                if (next < count)
                {
                    Thread.Sleep(1);
                }
            }

            started.SetResult(watch.Elapsed.TotalSeconds);
        })
        { IsBackground = true, Name = "open-load pacer" };
        pacer.Start();
        var seconds = await started.Task;
        await Task.WhenAll(operations);
        return seconds;
    }
}
