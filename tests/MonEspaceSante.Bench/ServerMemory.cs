using System.Diagnostics;

namespace MonEspaceSante.Bench;

/// <summary>This process's memory after full, compacting collections, so that a difference is what is still referenced.</summary>
internal readonly record struct ServerMemory(long Heap, long WorkingSet)
{
    public static ServerMemory Measure()
    {
        for (var i = 0; i < 2; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        using var process = Process.GetCurrentProcess();
        return new ServerMemory(GC.GetTotalMemory(forceFullCollection: false), process.WorkingSet64);
    }
}
