using System.Diagnostics;

namespace MonEspaceSante.Bench;

/// <summary>
/// This process's memory after full, compacting collections, so that a difference is what is
/// still referenced; <see cref="Pinned"/> is the pinned-object heap, where Kestrel's I/O buffers live.
/// </summary>
internal readonly record struct ServerMemory(long Heap, long Pinned, long WorkingSet)
{
    private const int PinnedGeneration = 4;

    public static ServerMemory Measure()
    {
        for (var i = 0; i < 2; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        var info = GC.GetGCMemoryInfo(GCKind.Any);
        using var process = Process.GetCurrentProcess();
        return new ServerMemory(GC.GetTotalMemory(forceFullCollection: false), info.GenerationInfo[PinnedGeneration].SizeAfterBytes, process.WorkingSet64);
    }
}
