using Orleans;
using System.Collections.Concurrent;
using System.Diagnostics;
using MonEspaceSante.Spaces;

namespace MonEspaceSante.Bench;

/// <summary>
/// The events: a professional's checked read of a patient's profile through the access grain,
/// the cheapest real grain call that notifies its patient (access decision, mass-access guard,
/// hash-chained history entry and the notification, in one transaction). Recipients are taken
/// in turn, skipping one whose previous event has not returned, so a recipient's events never
/// overlap: the k-th event returned for a recipient is then the k-th notification in its feed,
/// which is how a received notification is matched to the return of the call that wrote it.
/// </summary>
internal sealed class RealtimeEvents(IGrainFactory grains, RealtimePopulation population)
{
    private readonly int[] busy = new int[population.Patients.Length];
    private readonly List<long>[] returnedUtcTicks = population.Patients.Select(_ => new List<long>()).ToArray();
    private readonly ConcurrentQueue<double> callMs = new();
    private int cursor = -1;
    private int errors;
    private int skipped;

    public int Errors => Volatile.Read(ref errors);

    /// <summary>Events not started because every recipient had one in flight.</summary>
    public int Skipped => Volatile.Read(ref skipped);

    /// <summary>When each of recipient r's events returned (its commit), in feed order.</summary>
    public IReadOnlyList<long> ReturnedUtcTicks(int recipient) => returnedUtcTicks[recipient];

    public int Committed => returnedUtcTicks.Sum(r => r.Count);

    /// <summary>Each call's duration, from its start to its return (ms).</summary>
    public List<double> CallMs => [.. callMs];

    /// <summary>Forgets what earlier rounds returned (a warm-up's): recipients' feeds are re-read before the next round.</summary>
    public void Reset()
    {
        foreach (var list in returnedUtcTicks)
        {
            list.Clear();
        }

        callMs.Clear();
        errors = 0;
        skipped = 0;
    }

    public async Task RaiseAsync(int _)
    {
        var recipient = Claim();
        if (recipient < 0)
        {
            Interlocked.Increment(ref skipped);
            return;
        }

        try
        {
            var start = Stopwatch.GetTimestamp();
            await grains.GetPatientAccess(population.Patients[recipient]).GetProfileAsync(population.Professionals[recipient]);
            returnedUtcTicks[recipient].Add(DateTime.UtcNow.Ticks);
            callMs.Enqueue(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        catch (Exception exception)
        {
            if (Interlocked.Increment(ref errors) <= 3)
            {
                Console.Error.WriteLine($"event failed: {exception.GetType().Name}: {exception.Message}");
            }
        }
        finally
        {
            // The release publishes the list's update to the next holder of this recipient.
            Volatile.Write(ref busy[recipient], 0);
        }
    }

    private int Claim()
    {
        for (var tries = 0; tries < busy.Length; tries++)
        {
            var recipient = (int)((uint)Interlocked.Increment(ref cursor) % (uint)busy.Length);
            if (Interlocked.CompareExchange(ref busy[recipient], 1, 0) == 0)
            {
                return recipient;
            }
        }

        return -1;
    }
}
