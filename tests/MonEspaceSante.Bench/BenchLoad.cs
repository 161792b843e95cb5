using System.Diagnostics;

namespace MonEspaceSante.Bench;

/// <summary>Closed-loop load shared by the benchmarks: a fixed number of workers, each starting the next operation when its last one ends.</summary>
internal static class BenchLoad
{
    /// <summary>Runs <paramref name="count"/> operations on <paramref name="concurrency"/> workers; returns the wall time and each operation's latency (ms).</summary>
    public static async Task<(double Seconds, List<double> LatenciesMs)> RunConcurrentAsync(int count, int concurrency, Func<int, Task> operation)
    {
        var next = -1;
        var latencies = new double[count];
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var start = Stopwatch.GetTimestamp();
                await operation(i);
                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        })));
        return (watch.Elapsed.TotalSeconds, latencies.ToList());
    }

    /// <summary>The nearest-rank percentile (sorts the list in place).</summary>
    public static double Percentile(List<double> latencies, double quantile)
    {
        latencies.Sort();
        return latencies[Math.Max(0, (int)Math.Ceiling(latencies.Count * quantile) - 1)];
    }
}
