using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.SignalR;
using MonEspaceSante.Access;
using MonEspaceSante.Api.Realtime;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Realtime;

/// <summary>
/// Two real silo processes on one database. The data is set up through the in-process silo
/// (whose clock is moved to real time and whose key files the processes share); clients then
/// talk to the processes only, with the patient's session and professionals' tokens.
/// </summary>
public sealed class MultiSiloTests : RealtimeTestBase
{
    private sealed record Scene(Person Person, HttpClient Patient, Guid PatientId, string PhysicianToken, string OtherToken);

    private async Task<Scene> SceneAsync()
    {
        AlignClockWithRealTime();
        await AddProfessionalsAsync(Physician, OtherPhysician);
        var (person, patient) = await ActivePatientAsync();
        await GrantAsync(patient, Physician);
        await GrantAsync(patient, OtherPhysician);
        using var pro = await ProAsync(Physician);
        var id = await FindOkAsync(pro, person);
        return new Scene(person, patient, id, (await Silo.TokenAsync(Physician.Rpps)).AccessToken, (await Silo.TokenAsync(OtherPhysician.Rpps)).AccessToken);
    }

    private async Task<(SiloProcess A, SiloProcess B)> TwoSilosAsync()
    {
        var a = SiloProcess.StartAsync(ConnectionString, Silo);
        var b = SiloProcess.StartAsync(ConnectionString, Silo);
        try
        {
            return (await a, await b);
        }
        catch
        {
            await Task.WhenAll(a.ContinueWith(t => t.IsCompletedSuccessfully ? t.Result.DisposeAsync().AsTask() : Task.CompletedTask, TaskScheduler.Default).Unwrap(),
                b.ContinueWith(t => t.IsCompletedSuccessfully ? t.Result.DisposeAsync().AsTask() : Task.CompletedTask, TaskScheduler.Default).Unwrap());
            throw;
        }
    }

    private static async Task<HubClient> HubAsync(SiloProcess silo, string sessionToken)
    {
        using var client = silo.Client(sessionToken);
        return await HubClient.ConnectAsync(HubUri(silo.BaseAddress, null), await TicketAsync(client));
    }

    [Fact]
    public async Task A_client_on_silo_A_hears_what_a_request_served_by_silo_B_caused()
    {
        var scene = await SceneAsync();
        var (a, b) = await TwoSilosAsync();
        await using (a)
        await using (b)
        {
            await using var hub = await HubAsync(a, BearerOf(scene.Patient));
            using var proOnB = b.Client(scene.PhysicianToken);

            await ProListAsync(proOnB, scene.PatientId);

            using var patientOnA = a.Client(BearerOf(scene.Patient));
            var feed = await FeedAsync(patientOnA);
            feed[^1].Kind.Should().Be(AccessGate.AllowedKind);
            (await ReceiveUntilAsync(hub, feed[^1])).Should().OnlyContain(n => feed.Contains(n));
        }
    }

    [Fact]
    public async Task A_client_whose_silo_is_killed_resumes_on_the_other_and_holds_every_notification_once()
    {
        var scene = await SceneAsync();
        var (a, b) = await TwoSilosAsync();
        await using (a)
        await using (b)
        {
            var session = BearerOf(scene.Patient);
            var held = new ConcurrentDictionary<Guid, long>();
            var pushes = 0;
            var hubA = await HubAsync(a, session);
            var listeningA = Listen(hubA);
            Hold(await ResumeAllAsync(hubA, 0));

            // Requests on both silos, all the time; the one aimed at A moves to B once A is gone.
            using var stop = new CancellationTokenSource();
            var afterKill = 0;
            var killed = false;
            var producers = new[]
            {
                ProduceAsync(() => killed ? b : a, scene.PhysicianToken),
                ProduceAsync(() => b, scene.OtherToken),
            };

            await WaitForAsync(() => Volatile.Read(ref pushes) >= 5, "notifications flow to the client on A");
            await a.KillAsync();
            killed = true;
            // A server's close message would end the connection with no error or a HubException
            // carrying its own; a killed silo sends none, so the transport itself fails.
            (await hubA.Closed.WaitAsync(Patience)).Should().NotBeNull("a killed silo says no goodbye").And.NotBeOfType<HubException>();
            await listeningA;
            await hubA.DisposeAsync();
            await WaitForAsync(() => Volatile.Read(ref afterKill) >= 3, "requests go on while the client is away");

            // Back on B with a new ticket: live pushes first (subscribed), then what was missed.
            var lastSeen = Contiguous();
            var hubB = await HubAsync(b, session);
            var livePushesBefore = Volatile.Read(ref pushes);
            var listeningB = Listen(hubB);
            try
            {
                var resumed = await ResumeAllAsync(hubB, lastSeen);
                Hold(resumed);
                resumed.Should().NotBeEmpty("events were produced while the client was away");
                await WaitForAsync(() => Volatile.Read(ref pushes) >= livePushesBefore + 5, "notifications flow to the client on B");
                await stop.CancelAsync();
                await Task.WhenAll(producers);

                using var patientOnB = b.Client(session);
                var feed = await FeedAsync(patientOnB);
                feed.Select(n => n.Sequence).Should().Equal(Enumerable.Range(1, feed.Count).Select(i => (long)i), "the feed has no gap");
                await WaitForAsync(() => held.Count >= feed.Count, "the last live pushes arrive");
                held.Should().BeEquivalentTo(feed.ToDictionary(n => n.Id, n => n.Sequence), "every notification of the feed, once, with its sequence");
                held.Values.Distinct().Should().HaveCount(held.Count);
            }
            finally
            {
                await hubB.DisposeAsync();
            }

            await listeningB;

            async Task ProduceAsync(Func<SiloProcess> target, string token)
            {
                while (!stop.IsCancellationRequested)
                {
                    var silo = target();
                    try
                    {
                        using var pro = silo.Client(token);
                        using var response = await pro.GetAsync($"/api/pro/patients/{scene.PatientId}/documents", stop.Token);
                        if (Volatile.Read(ref killed) && response.StatusCode == HttpStatusCode.ServiceUnavailable)
                        {
                            // Sent to the space's grain on A as A died, before the cluster declared
                            // it dead: the client is told to retry, and retries.
                            response.Headers.RetryAfter.Should().NotBeNull();
                        }
                        else
                        {
                            response.StatusCode.Should().Be(HttpStatusCode.OK);
                            if (Volatile.Read(ref killed))
                            {
                                Interlocked.Increment(ref afterKill);
                            }
                        }
                    }
                    catch (HttpRequestException) when (silo == a)
                    {
                        // A died under this request: it may or may not have committed; the feed says.
                    }
                    catch (OperationCanceledException) when (stop.IsCancellationRequested)
                    {
                    }

                    // Steady, not flat out: the machine also runs both silos and the database.
                    await Task.Delay(10, CancellationToken.None);
                }
            }

            async Task Listen(HubClient hub)
            {
                await foreach (var push in hub.Pushes.ReadAllAsync())
                {
                    if (push.Target == NotificationHub.NotificationMethod)
                    {
                        Hold([Seen.From(push.Argument!.Value)]);
                        Interlocked.Increment(ref pushes);
                    }
                }
            }

            void Hold(IEnumerable<Seen> seen)
            {
                foreach (var n in seen)
                {
                    held.GetOrAdd(n.Id, n.Sequence).Should().Be(n.Sequence, "one id, one sequence");
                }
            }

            // What a client resumes after: the last sequence below which it holds everything (live
            // pushes come in commit order, which two writers can make differ from sequence order).
            long Contiguous()
            {
                var sequences = held.Values.ToHashSet();
                var last = 0L;
                while (sequences.Contains(last + 1))
                {
                    last++;
                }

                return last;
            }
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            timeout.IsCancellationRequested.Should().BeFalse($"waited 30 s for: {what}");
        }
    }
}
