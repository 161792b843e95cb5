using System.Diagnostics;
using System.Globalization;

namespace MonEspaceSante.Bench;

/// <summary>
/// CPU time spent by this process and by the machine's PostgreSQL processes, read from /proc
/// (Linux only; elsewhere the database's share reads 0). On two shared cores throughput swings
/// with whatever else runs, while CPU time per operation moves much less: it says where a
/// difference between two runs comes from. The JIT's compiling time is kept apart: a phase
/// measured while the JIT still works measures the warm-up, not the path.
/// </summary>
internal readonly record struct CpuMeter(TimeSpan Process, TimeSpan Database, TimeSpan Jit)
{
    // USER_HZ: the unit of /proc/[pid]/stat's times, 100 on every Linux kernel built for x86 and ARM.
    private const double TicksPerSecond = 100;

    public static CpuMeter Read()
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return new CpuMeter(self.TotalProcessorTime, DatabaseTime(), System.Runtime.JitInfo.GetCompilationTime());
    }

    public CpuMeter Since(CpuMeter start) => new(Process - start.Process, Database - start.Database, Jit - start.Jit);

    /// <summary>
    /// "process+postgres µs/op" for a count of operations, and the JIT's share of the process's
    /// time: what is left of warm-up in a measured phase (near 0 once the code is compiled).
    /// </summary>
    public string PerOperation(int operations) => string.Create(CultureInfo.InvariantCulture,
        $"cpu {Process.TotalMicroseconds / operations:F0}+{Database.TotalMicroseconds / operations:F0} µs/op (process+postgres, jit {Jit.TotalMicroseconds / operations:F0})");

    private static TimeSpan DatabaseTime()
    {
        if (!Directory.Exists("/proc"))
        {
            return TimeSpan.Zero;
        }

        long ticks = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                // Fields after the command name, which is in parentheses and may hold spaces.
                var close = stat.LastIndexOf(')');
                if (close < 0 || !stat.AsSpan(stat.IndexOf('(') + 1, close - stat.IndexOf('(') - 1).StartsWith("postgres", StringComparison.Ordinal))
                {
                    continue;
                }

                var fields = stat[(close + 2)..].Split(' ');
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
            {
                // A process that ended while being read.
            }
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
