using System.Collections.Concurrent;
using System.Diagnostics;

namespace MonEspaceSante.Bench;

/// <summary>
/// How long this process makes work wait to run: a work item queued every 5 ms from a thread of
/// its own, timed until the thread pool runs it. Every continuation (the relay's, a push's, a
/// grain call's) waits that long, so it bounds what the code itself can achieve.
/// </summary>
internal sealed class SchedulingProbe : IDisposable
{
    private readonly ConcurrentQueue<double> delaysMs = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Thread thread;

    public SchedulingProbe()
    {
        thread = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var queued = Stopwatch.GetTimestamp();
                ThreadPool.UnsafeQueueUserWorkItem(q => delaysMs.Enqueue(Stopwatch.GetElapsedTime(q).TotalMilliseconds), queued, preferLocal: false);
                Thread.Sleep(5);
            }
        })
        { IsBackground = true, Name = "scheduling probe" };
        thread.Start();
    }

    public List<double> DelaysMs => [.. delaysMs];

    public void Dispose()
    {
        stop.Cancel();
        thread.Join();
        stop.Dispose();
    }
}
