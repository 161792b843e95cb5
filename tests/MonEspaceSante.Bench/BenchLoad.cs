using System.Diagnostics;
using System.Runtime;

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

    /// <summary>
    /// Runs <paramref name="operation"/> as <see cref="RunConcurrentAsync"/> does, not measured,
    /// until <paramref name="minimumCount"/> operations and <paramref name="minimumTime"/> have
    /// passed and the JIT has gone quiet (under <see cref="QuietJitShare"/> of a round's wall time
    /// spent compiling), or four times <paramref name="minimumTime"/> at most; returns how many
    /// ran (indices 0 to that count - 1). A count alone was not enough: on two busy cores the API
    /// path kept getting cheaper for some 30 s (tiered compilation with dynamic PGO; with PGO off
    /// it stayed ~20 % dearer), so after 2,000 reads the same path ran up to 40 % faster when
    /// measured a second time in the same process. Time alone was not either: after 10 s of
    /// uploads the JIT still took a fifth of the server's CPU while the upload was measured.
    /// </summary>
    public static async Task<int> WarmUpAsync(int minimumCount, TimeSpan minimumTime, int concurrency, Func<int, Task> operation)
    {
        var watch = Stopwatch.StartNew();
        var done = 0;
        var round = Math.Max(concurrency, Math.Min(minimumCount, 500));
        var jitQuiet = false;
        while (done < minimumCount || watch.Elapsed < minimumTime || (!jitQuiet && watch.Elapsed < minimumTime * 4))
        {
            var offset = done;
            var jitBefore = JitInfo.GetCompilationTime();
            var roundWatch = Stopwatch.StartNew();
            await RunConcurrentAsync(round, concurrency, i => operation(offset + i));
            jitQuiet = JitInfo.GetCompilationTime() - jitBefore < roundWatch.Elapsed * QuietJitShare;
            done += round;
        }

        return done;
    }

    /// <summary>The share of wall time below which the JIT counts as quiet: 2 % of one core.</summary>
    public const double QuietJitShare = 0.02;

    /// <summary>The same for paths that store a file per operation, where 30 s would write gigabytes.</summary>
    public static readonly TimeSpan ContentWarmUpTime = TimeSpan.FromSeconds(10);

    /// <summary>How long each path of a benchmark is warmed up at least.</summary>
    public static readonly TimeSpan WarmUpTime = TimeSpan.FromSeconds(30);

    /// <summary>The nearest-rank percentile (sorts the list in place).</summary>
    public static double Percentile(List<double> latencies, double quantile)
    {
        latencies.Sort();
        return latencies[Math.Max(0, (int)Math.Ceiling(latencies.Count * quantile) - 1)];
    }
}
