using Orleans;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MonEspaceSante.Identity;
using MonEspaceSante.Spaces;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Lifecycle;

public sealed class AutoActivationAndClosureTests : SpaceTestBase
{
    [Fact]
    public async Task Spaces_still_waiting_after_six_weeks_are_activated_automatically_once()
    {
        var waiting = NewPerson();
        var activated = NewPerson();
        var opposed = NewPerson();
        await EnrolAsync(waiting, activated, opposed);
        (await ActivateAsync(activated, CodeOf(activated))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await Client.PostAsJsonAsync("/api/opposition", new { code = CodeOf(opposed), nir = opposed.Nir })).StatusCode.Should().Be(HttpStatusCode.OK);
        var scheduler = Silo.Get<LifecycleScheduler>();

        Silo.Clock.Advance(TimeSpan.FromDays(41));
        (await scheduler.RunOnceAsync()).Activated.Should().Be(0);
        (await Silo.StatusOfAsync(Nir.Parse(waiting.Nir))).Should().Be(SpaceStatus.Created);

        Silo.Clock.Advance(TimeSpan.FromDays(1));
        (await scheduler.RunOnceAsync()).Activated.Should().Be(1);
        (await scheduler.RunOnceAsync()).Activated.Should().Be(0, "the job is idempotent");
        (await Silo.StatusOfAsync(Nir.Parse(waiting.Nir))).Should().Be(SpaceStatus.Active);
        (await Silo.StatusOfAsync(Nir.Parse(opposed.Nir))).Should().Be(SpaceStatus.Opposed, "an opposition is never overridden");

        // The automatically activated person has no password yet: a new code lets them set one.
        (await Client.PostAsJsonAsync("/api/activation/new-code", new { nir = waiting.Nir, vitaleSerial = waiting.VitaleSerial, birthDate = waiting.BirthDate })).StatusCode.Should().Be(HttpStatusCode.Accepted);
        await Silo.RunJobsAsync();
        (await ActivateAsync(waiting, CodeOf(waiting))).StatusCode.Should().Be(HttpStatusCode.OK);
        using var patient = await LoginAsync(waiting.Email!);
        var summary = await patient.GetFromJsonAsync<SpaceSummary>("/api/me", Json.Options);
        summary!.ActivationMode.Should().Be(ActivationMode.Automatic);

        using var op = Silo.Operator();
        var counts = await op.GetFromJsonAsync<JsonElement>("/api/operator/spaces/counts");
        counts.GetProperty("byStatus").GetProperty("Active").GetInt64().Should().Be(2);
        counts.GetProperty("byStatus").GetProperty("Opposed").GetInt64().Should().Be(1);
        counts.GetProperty("total").GetInt64().Should().Be(3);
    }

    [Fact]
    public async Task Silos_sweeping_at_once_claim_disjoint_batches_and_each_due_space_is_activated_once()
    {
        var people = Enumerable.Range(0, 12).Select(_ => NewPerson()).ToArray();
        await EnrolAsync(people);
        Silo.Clock.Advance(TimeSpan.FromDays(42));
        // Two schedulers as two silos run them, with small batches so their claims interleave.
        LifecycleScheduler Scheduler() => new(
            Silo.Get<MonEspaceSante.Storage.IDatabase>(), Silo.Get<IGrainFactory>(), Silo.Clock,
            Microsoft.Extensions.Options.Options.Create(new LifecycleOptions { BatchSize = 2 }),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<LifecycleScheduler>.Instance);

        var passes = await Task.WhenAll(Task.Run(() => Scheduler().RunOnceAsync()), Task.Run(() => Scheduler().RunOnceAsync()));

        passes.Sum(p => p.Claimed).Should().Be(12, "a claimed space is no other silo's until its lease ends");
        passes.Sum(p => p.Activated).Should().Be(12);
        foreach (var person in people)
        {
            (await Silo.StatusOfAsync(Nir.Parse(person.Nir))).Should().Be(SpaceStatus.Active);
        }

        (await Scheduler().RunOnceAsync()).Should().Be(new LifecycleScheduler.PassResult(0, 0, 0), "an activated space has no deadline left");
    }

    [Fact]
    public async Task A_patient_downloads_their_archive_closes_the_space_which_stays_readable_ten_years_then_is_purged()
    {
        var person = NewPerson();
        await EnrolAsync(person);
        (await ActivateAsync(person, CodeOf(person))).StatusCode.Should().Be(HttpStatusCode.OK);
        using var patient = await LoginAsync(person.Email!);
        (await patient.GetAsync("/api/me/mailbox")).StatusCode.Should().Be(HttpStatusCode.OK, "the patient's mailbox grain exists before the purge");
        var spaceId = (await Silo.Get<SpaceDirectory>().FindByNirAsync(Nir.Parse(person.Nir)))!.Value;
        (await RowsOfMailboxAsync(spaceId)).Should().Be(2);

        using var archive = await patient.GetAsync("/api/me/archive");
        archive.StatusCode.Should().Be(HttpStatusCode.OK);
        archive.Headers.CacheControl!.NoStore.Should().BeTrue();
        using (var zip = new ZipArchive(await archive.Content.ReadAsStreamAsync()))
        {
            zip.Entries.Select(e => e.FullName).Should().BeEquivalentTo("mon-espace-sante.json", "health-profile.json", "documents.json");
            var entry = zip.GetEntry("mon-espace-sante.json")!;
            using var json = JsonDocument.Parse(entry.Open());
            json.RootElement.GetProperty("nir").GetString().Should().Be(person.Nir);
            json.RootElement.GetProperty("notifications").GetArrayLength().Should().BeGreaterThan(0);
        }

        await ShouldBeProblemAsync(await patient.PostAsJsonAsync("/api/me/close", new { password = "Not-The-Password-1" }), HttpStatusCode.Unauthorized, "login-refused");
        using var closed = await patient.PostAsJsonAsync("/api/me/close", new { password = Password });
        closed.StatusCode.Should().Be(HttpStatusCode.OK, await closed.Content.ReadAsStringAsync());
        (await closed.Content.ReadFromJsonAsync<SpaceSummary>(Json.Options))!.ArchivedUntil.Should().Be(Silo.Clock.GetUtcNow().AddYears(10));
        await ShouldBeProblemAsync(await patient.PostAsJsonAsync("/api/me/close", new { password = Password }), HttpStatusCode.Conflict, "space-closed");

        // Read-only, not gone: the patient can still log in and download their archive.
        Silo.Clock.Advance(TimeSpan.FromDays(365 * 5));
        using var later = await LoginAsync(person.Email!);
        (await later.GetFromJsonAsync<SpaceSummary>("/api/me", Json.Options))!.Status.Should().Be(SpaceStatus.Closed);
        (await later.GetAsync("/api/me/archive")).StatusCode.Should().Be(HttpStatusCode.OK);
        var scheduler = Silo.Get<LifecycleScheduler>();
        (await scheduler.RunOnceAsync()).Purged.Should().Be(0);

        Silo.Clock.Advance(TimeSpan.FromDays(365 * 5 + 3));
        (await scheduler.RunOnceAsync()).Purged.Should().Be(1);
        (await Silo.StatusOfAsync(Nir.Parse(person.Nir))).Should().BeNull();
        (await RowsOfMailboxAsync(spaceId)).Should().Be(0, "the mailbox grain removed its state and its row when the space was purged");
        (await later.GetAsync("/api/me")).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the space and its sessions are gone");
        await ShouldBeProblemAsync(await Client.PostAsJsonAsync("/api/auth/login", new { email = person.Email, password = Password }), HttpStatusCode.Unauthorized, "login-refused");
    }

    [Fact]
    public async Task A_space_that_is_not_active_cannot_be_closed()
    {
        var person = NewPerson();
        await EnrolAsync(person);
        var id = (await Silo.Get<SpaceDirectory>().FindByNirAsync(Nir.Parse(person.Nir)))!.Value;
        var grain = Silo.Get<IGrainFactory>().GetPatientSpace(id);
        var act = () => grain.CloseAsync(MonEspaceSante.Identity.Caller.Patient(id), Password);
        (await act.Should().ThrowAsync<MonEspaceSante.Errors.DomainException>()).Which.Error.Code.Should().Be("invalid-state");
        var stranger = () => grain.CloseAsync(MonEspaceSante.Identity.Caller.Patient(Guid.NewGuid()), Password);
        (await stranger.Should().ThrowAsync<MonEspaceSante.Errors.DomainException>()).Which.Error.Code.Should().Be("not-found");
    }

    /// <summary>The patient mailbox's grain state row and its address row.</summary>
    private async Task<long> RowsOfMailboxAsync(Guid spaceId)
    {
        await using var connection = await Silo.Get<MonEspaceSante.Storage.IDatabase>().OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection,
            "select (select count(*) from grains where grain_type = 'mailbox' and grain_id = @id) + (select count(*) from mailboxes where mailbox_id = @id)",
            new { id = "patient:" + spaceId });
    }
}
