using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MonEspaceSante.Access;
using MonEspaceSante.Documents;
using MonEspaceSante.Identity;
using MonEspaceSante.Spaces;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Children;

/// <summary>Children's spaces: attaching as guardian, managing, two guardians, hidden documents, majority at 18.</summary>
public sealed partial class ChildSpaceTests : AccessTestBase
{
    private const string Clients = "/api/clients/documents";

    [Fact]
    public async Task A_guardian_attaches_a_minor_space_with_its_card_data_and_manages_it_like_their_own()
    {
        var (_, parent) = await ActivePatientAsync();
        var child = await EnrolChildAsync(Today.AddYears(-9));

        // Every refusal is clear and changes nothing.
        (await ShouldBeProblemAsync(await AttachAsync(parent, child, serial: "999999999"), HttpStatusCode.BadRequest, "guardianship-refused")).Should()
            .Be(await ShouldBeProblemAsync(await AttachAsync(parent, child with { Nir = OtherNir(child) }), HttpStatusCode.BadRequest, "guardianship-refused"),
                "an unknown child and wrong card data get the same answer");
        await ShouldBeProblemAsync(await AttachAsync(parent, child, birthDate: child.BirthDate.AddDays(1)), HttpStatusCode.BadRequest, "guardianship-refused");
        await ShouldBeProblemAsync(await AttachAsync(parent, child, parentalAuthority: false), HttpStatusCode.BadRequest, "invalid-request");
        for (var attempt = 0; attempt < 5; attempt++)
        {
            // Invalid input, not a guess: it names the field and does not count against the lockout.
            (await ShouldBeProblemAsync(await AttachAsync(parent, child, birthDate: Today.AddDays(1 + attempt)), HttpStatusCode.BadRequest, "invalid-request"))
                .Detail.Should().Contain("birthDate");
        }

        using (var missing = await parent.PostAsJsonAsync("/api/me/children", new { nir = child.Nir }))
        {
            await ShouldBeProblemAsync(missing, HttpStatusCode.BadRequest, "invalid-request");
        }

        (await Silo.StatusOfAsync(Nir.Parse(child.Nir))).Should().Be(SpaceStatus.Created);
        (await parent.GetFromJsonAsync<List<ChildSpace>>("/api/me/children", Json.Options)).Should().BeEmpty();

        using (var attached = await AttachAsync(parent, child))
        {
            attached.StatusCode.Should().Be(HttpStatusCode.OK, await attached.Content.ReadAsStringAsync());
            var space = (await attached.Content.ReadFromJsonAsync<ChildSpace>(Json.Options))!;
            space.BirthDate.Should().Be(child.BirthDate);
            space.MajorityOn.Should().Be(child.BirthDate.AddYears(18));
            space.OfAge.Should().BeFalse();
        }

        (await AttachAsync(parent, child)).StatusCode.Should().Be(HttpStatusCode.OK, "attaching again changes nothing");
        var children = await parent.GetFromJsonAsync<List<ChildSpace>>("/api/me/children", Json.Options);
        var childId = children.Should().ContainSingle().Subject.SpaceId;

        using var guardian = As(parent, childId);
        var summary = await guardian.GetFromJsonAsync<SpaceSummary>("/api/me", Json.Options);
        summary!.Status.Should().Be(SpaceStatus.Active);
        summary.ActivationMode.Should().Be(ActivationMode.ByGuardian);
        summary.FirstNames.Should().Be(child.FirstNames);
        (await parent.GetFromJsonAsync<SpaceSummary>("/api/me", Json.Options))!.SpaceId.Should().NotBe(childId, "without the header the parent is in their own space");

        // Documents and access settings, on the child's space.
        var own = await OwnDocumentAsync(guardian, DocumentCategory.Vaccination, "Carnet de santé");
        (await ListAsync(guardian)).Items.Should().ContainSingle(d => d.Id == own.Id);
        (await ListAsync(parent)).Items.Should().BeEmpty("the parent's own space holds none of the child's documents");
        await AddProfessionalsAsync(Physician);
        await GrantAsync(guardian, Physician);
        (await guardian.GetFromJsonAsync<AccessSettings>("/api/me/access", Json.Options))!.Professionals.Should().ContainSingle(p => p.Rpps == Physician.Rpps);
        (await parent.GetFromJsonAsync<AccessSettings>("/api/me/access", Json.Options))!.Professionals.Should().BeEmpty();

        // What belongs to the holder alone.
        await ShouldBeProblemAsync(await guardian.PostAsJsonAsync("/api/me/close", new { password = Password }), HttpStatusCode.Forbidden, "holder-only");
        await ShouldBeProblemAsync(await guardian.GetAsync("/api/me/alerts"), HttpStatusCode.Forbidden, "holder-only");
        await ShouldBeProblemAsync(await guardian.GetAsync("/api/me/mailbox"), HttpStatusCode.Forbidden, "holder-only");
        await ShouldBeProblemAsync(await guardian.GetAsync("/api/me/children"), HttpStatusCode.BadRequest, "invalid-request");
        (await Silo.StatusOfAsync(Nir.Parse(child.Nir))).Should().Be(SpaceStatus.Active);
    }

    [Fact]
    public async Task Only_a_guardian_reaches_a_child_space_whatever_id_is_tried()
    {
        var (_, parent) = await ActivePatientAsync();
        var (_, stranger) = await ActivePatientAsync();
        var child = await EnrolChildAsync(Today.AddYears(-5));
        var childId = await AttachOkAsync(parent, child);
        await OwnDocumentAsync(As(parent, childId), DocumentCategory.Vaccination, "Vaccins");

        using var intruder = As(stranger, childId);
        var shapes = new List<string>
        {
            await NotFoundShapeAsync(await intruder.GetAsync("/api/me")),
            await NotFoundShapeAsync(await intruder.GetAsync("/api/me/documents")),
            await NotFoundShapeAsync(await intruder.GetAsync("/api/me/access")),
            await NotFoundShapeAsync(await intruder.GetAsync("/api/me/access-history")),
            await NotFoundShapeAsync(await intruder.GetAsync("/api/me/notifications")),
            await NotFoundShapeAsync(await As(stranger, Guid.NewGuid()).GetAsync("/api/me/documents")),
        };
        shapes.Distinct().Should().ContainSingle("a stranger learns nothing, not even that the child's space exists");
        (await NotFoundShapeAsync(await stranger.DeleteAsync($"/api/me/children/{childId}"))).Should().Be(shapes[0]);

        // A malformed header is refused outright rather than ignored (which would act on the parent's own space).
        using var malformed = Silo.CreateClient();
        malformed.DefaultRequestHeaders.Authorization = parent.DefaultRequestHeaders.Authorization;
        malformed.DefaultRequestHeaders.Add("X-Child-Space", "not-a-space");
        (await malformed.GetAsync("/api/me/documents")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await ListAsync(As(parent, childId))).Items.Should().ContainSingle("the guardian still reaches it");
    }

    [Fact]
    public async Task Two_guardians_share_a_child_a_third_is_refused_and_one_may_let_go()
    {
        var (_, mother) = await ActivePatientAsync();
        var (_, father) = await ActivePatientAsync();
        var (_, third) = await ActivePatientAsync();
        var child = await EnrolChildAsync(Today.AddYears(-12));
        var childId = await AttachOkAsync(mother, child);
        (await AttachOkAsync(father, child)).Should().Be(childId);
        await ShouldBeProblemAsync(await AttachAsync(third, child), HttpStatusCode.Conflict, "too-many-guardians");

        var document = await OwnDocumentAsync(As(mother, childId), DocumentCategory.Vaccination, "Certificat de sport");
        (await ListAsync(As(father, childId))).Items.Should().ContainSingle(d => d.Id == document.Id, "both guardians manage the same space");
        (await NotificationsAsync(mother)).Should().Contain(n => n.GetProperty("kind").GetString() == SpaceGuardians.AttachedKind
            && n.GetProperty("payloadJson").GetString()!.Contains(childId.ToString(), StringComparison.Ordinal), "the first guardian is told a second one joined");

        (await father.DeleteAsync($"/api/me/children/{childId}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await father.GetFromJsonAsync<List<ChildSpace>>("/api/me/children", Json.Options)).Should().BeEmpty();
        (await As(father, childId).GetAsync("/api/me/documents")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await NotificationsAsync(mother)).Should().Contain(n => n.GetProperty("kind").GetString() == SpaceGuardians.DetachedKind);
        (await AttachAsync(third, child)).StatusCode.Should().Be(HttpStatusCode.OK, "a place was freed");
    }

    [Fact]
    public async Task Documents_a_professional_hides_from_guardians_never_reach_them()
    {
        var (_, parent) = await ActivePatientAsync();
        var child = await EnrolChildAsync(Today.AddYears(-16));
        var childId = await AttachOkAsync(parent, child);
        using var guardian = As(parent, childId);
        await LoadDirectoryAsync();
        await GrantAsync(guardian, LabBiologist);
        using var lab = await LabSoftwareAsync();
        var hidden = await UploadOkAsync(lab, ChildReport(child, "Dépistage confidentiel", hiddenFromGuardians: true), Samples.Pdf(), "application/pdf", Clients);
        var visible = await UploadOkAsync(lab, ChildReport(child, "Bilan annuel"), Samples.Pdf(), "application/pdf", Clients);
        hidden.HiddenFromGuardians.Should().BeTrue();

        (await ListAsync(guardian)).Items.Select(d => d.Id).Should().Equal(visible.Id);
        (await ListAsync(guardian)).Total.Should().Be(1, "not even counted");
        var notFound = await NotFoundShapeAsync(await guardian.GetAsync($"/api/me/documents/{Guid.NewGuid()}"));
        (await NotFoundShapeAsync(await guardian.GetAsync($"/api/me/documents/{hidden.Id}"))).Should().Be(notFound);
        (await NotFoundShapeAsync(await guardian.GetAsync($"/api/me/documents/{hidden.Id}/content"))).Should().Be(notFound);
        (await NotFoundShapeAsync(await guardian.DeleteAsync($"/api/me/documents/{hidden.Id}"))).Should().Be(notFound);
        (await NotFoundShapeAsync(await guardian.PostAsync($"/api/me/documents/{hidden.Id}/mask", null))).Should().Be(notFound);

        // Professionals the rules allow still read it; the guardian's view of the history leaves out the entries about it.
        await AddProfessionalsAsync(Physician);
        await GrantAsync(guardian, Physician);
        using (var pro = await ProAsync(Physician))
        {
            (await pro.GetAsync($"/api/pro/patients/{childId}/documents/{hidden.Id}")).StatusCode.Should().Be(HttpStatusCode.OK);
            (await pro.GetAsync($"/api/pro/patients/{childId}/documents/{visible.Id}")).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        var history = await HistoryAsync(guardian);
        history.Items.Should().Contain(e => e.Target == visible.Id.ToString());
        history.Items.Should().NotContain(e => e.Target == hidden.Id.ToString());
        (await guardian.GetFromJsonAsync<HistoryVerification>("/api/me/access-history/verify", Json.Options))!.Intact.Should().BeTrue("the chain still verifies over every entry");

        var feed = await NotificationsAsync(guardian);
        feed.Should().Contain(n => n.GetProperty("kind").GetString() == SpaceDocuments.AddedKind && n.GetProperty("payloadJson").GetString()!.Contains(visible.Id.ToString(), StringComparison.Ordinal));
        feed.Should().NotContain(n => n.GetRawText().Contains(hidden.Id.ToString(), StringComparison.Ordinal), "the feed says nothing of the hidden document");

        using var archive = await guardian.GetAsync("/api/me/archive");
        archive.StatusCode.Should().Be(HttpStatusCode.OK);
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(await archive.Content.ReadAsByteArrayAsync()));
        zip.Entries.Should().Contain(e => e.FullName.Contains(visible.Id.ToString(), StringComparison.Ordinal));
        zip.Entries.Should().NotContain(e => e.FullName.Contains(hidden.Id.ToString(), StringComparison.Ordinal), "the archive a guardian downloads leaves it out");
        using var listed = new StreamReader(zip.GetEntry("documents.json")!.Open());
        (await listed.ReadToEndAsync()).Should().Contain(visible.Id.ToString()).And.NotContain(hidden.Id.ToString());

        // A guardian's own upload cannot claim the flag (it is a professional's decision).
        using var claimed = await UploadAsync(guardian, new { category = "Vaccination", title = "Essai", hiddenFromGuardians = true }, Samples.Pdf(), "application/pdf");
        await ShouldBeProblemAsync(claimed, HttpStatusCode.BadRequest, "invalid-request");
    }

    [Fact]
    public async Task Professional_access_to_a_child_space_is_in_its_history_and_feed_for_the_guardian()
    {
        var (_, parent) = await ActivePatientAsync();
        var child = await EnrolChildAsync(Today.AddYears(-3));
        var childId = await AttachOkAsync(parent, child);
        using var guardian = As(parent, childId);
        await AddProfessionalsAsync(Physician, OtherPhysician);
        await OwnDocumentAsync(guardian, DocumentCategory.Vaccination, "Carnet de vaccination");
        await GrantAsync(guardian, Physician);

        using var pro = await ProAsync(Physician);
        (await FindOkAsync(pro, child)).Should().Be(childId);
        (await ProListAsync(pro, childId)).Items.Should().ContainSingle();
        using var other = await ProAsync(OtherPhysician);
        (await other.GetAsync($"/api/pro/patients/{childId}/documents")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        var history = await HistoryAsync(guardian);
        history.Items.Should().Contain(e => e.Rpps == Physician.Rpps && e.Action == AccessAction.ListDocuments && e.Outcome == AccessOutcome.Allowed);
        history.Items.Should().Contain(e => e.Rpps == OtherPhysician.Rpps && e.Outcome == AccessOutcome.Denied);
        (await HistoryAsync(parent)).Items.Should().BeEmpty("the parent's own history is their own");
        (await NotificationsAsync(guardian)).Should().Contain(n => n.GetProperty("kind").GetString() == "access.professional");
        (await guardian.GetAsync("/api/me/access-history/verify")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task At_eighteen_the_space_becomes_the_young_adults_own_and_guardians_lose_it()
    {
        var (parentPerson, parent) = await ActivePatientAsync();
        var child = await EnrolChildAsync(Today.AddYears(-18).AddDays(10));
        var childId = await AttachOkAsync(parent, child);
        await LoadDirectoryAsync();
        await GrantAsync(As(parent, childId), LabBiologist);
        using (var lab = await LabSoftwareAsync())
        {
            await UploadOkAsync(lab, ChildReport(child, "Consultation confidentielle", hiddenFromGuardians: true), Samples.Pdf(), "application/pdf", Clients);
        }

        await OwnDocumentAsync(As(parent, childId), DocumentCategory.Vaccination, "Carnet de santé");
        var scheduler = Silo.Get<LifecycleScheduler>();
        Silo.Clock.Advance(TimeSpan.FromDays(9));
        (await scheduler.RunOnceAsync()).CameOfAge.Should().Be(0, "still a minor");
        parent = await LoginAsync(parentPerson.Email!);
        (await ListAsync(As(parent, childId))).Items.Should().ContainSingle();

        Silo.Clock.Advance(TimeSpan.FromDays(1));
        parent = await LoginAsync(parentPerson.Email!);
        // At the birthday itself, before any sweep: the child's grain refuses the guardian.
        await ShouldBeProblemAsync(await As(parent, childId).GetAsync("/api/me/documents"), HttpStatusCode.Forbidden, "guardianship-ended");
        await ShouldBeProblemAsync(await As(parent, childId).GetAsync("/api/me/notifications"), HttpStatusCode.Forbidden, "guardianship-ended");
        var (_, late) = await ActivePatientAsync();
        await ShouldBeProblemAsync(await AttachAsync(late, child), HttpStatusCode.Conflict, "not-a-minor");

        (await scheduler.RunOnceAsync()).CameOfAge.Should().Be(1);
        (await scheduler.RunOnceAsync()).CameOfAge.Should().Be(0, "the hand-over happens once");
        (await NotificationsAsync(parent)).Should().Contain(n => n.GetProperty("kind").GetString() == SpaceGuardians.EndedKind);
        (await parent.GetFromJsonAsync<List<ChildSpace>>("/api/me/children", Json.Options)).Should().ContainSingle(c => c.SpaceId == childId && c.OfAge);

        // The young adult gets an activation code, sets their own login and sees everything, the hidden document included.
        await Silo.RunJobsAsync();
        (await ActivateAsync(child, CodeOf(child))).StatusCode.Should().Be(HttpStatusCode.OK);
        using var adult = await LoginAsync(child.Email!);
        (await ListAsync(adult)).Items.Select(d => d.Title).Should().BeEquivalentTo("Consultation confidentielle", "Carnet de santé");
        (await NotificationsAsync(adult)).Should().Contain(n => n.GetProperty("kind").GetString() == SpaceGuardians.MajorityKind);
        await ShouldBeProblemAsync(await As(parent, childId).GetAsync("/api/me"), HttpStatusCode.Forbidden, "guardianship-ended");
        (await parent.DeleteAsync($"/api/me/children/{childId}")).StatusCode.Should().Be(HttpStatusCode.NoContent, "the former guardian may tidy their list");
        (await parent.GetFromJsonAsync<List<ChildSpace>>("/api/me/children", Json.Options)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_guardian_keeps_the_child_health_profile_until_eighteen_and_the_young_adult_then_has_it()
    {
        var (parentPerson, parent) = await ActivePatientAsync();
        var (_, stranger) = await ActivePatientAsync();
        var child = await EnrolChildAsync(Today.AddYears(-18).AddDays(3));
        var childId = await AttachOkAsync(parent, child);

        using (var added = await As(parent, childId).PostAsJsonAsync("/api/me/health-profile/allergies", new { allergen = "Arachide", severity = "Severe" }))
        {
            added.StatusCode.Should().Be(HttpStatusCode.Created, await added.Content.ReadAsStringAsync());
        }

        (await As(parent, childId).GetStringAsync("/api/me/health-profile")).Should().Contain("Arachide");
        (await parent.GetStringAsync("/api/me/health-profile")).Should().NotContain("Arachide", "the parent's own profile is theirs");
        (await NotFoundShapeAsync(await As(stranger, childId).GetAsync("/api/me/health-profile")))
            .Should().Be(await NotFoundShapeAsync(await As(stranger, childId).GetAsync("/api/me/documents")));
        (await As(stranger, childId).PostAsJsonAsync("/api/me/health-profile/allergies", new { allergen = "Pollen" })).StatusCode.Should().Be(HttpStatusCode.NotFound);

        Silo.Clock.Advance(TimeSpan.FromDays(3));
        parent = await LoginAsync(parentPerson.Email!);
        await ShouldBeProblemAsync(await As(parent, childId).GetAsync("/api/me/health-profile"), HttpStatusCode.Forbidden, "guardianship-ended");
        await ShouldBeProblemAsync(await As(parent, childId).PostAsJsonAsync("/api/me/health-profile/allergies", new { allergen = "Pollen" }), HttpStatusCode.Forbidden, "guardianship-ended");

        await Silo.Get<LifecycleScheduler>().RunOnceAsync();
        await Silo.RunJobsAsync();
        (await ActivateAsync(child, CodeOf(child))).StatusCode.Should().Be(HttpStatusCode.OK);
        using var adult = await LoginAsync(child.Email!);
        var profile = await adult.GetStringAsync("/api/me/health-profile");
        profile.Should().Contain("Arachide").And.NotContain("Pollen");
    }

    [Fact]
    public async Task Guessing_a_child_card_data_locks_the_claim()
    {
        var (_, parent) = await ActivePatientAsync();
        var child = await EnrolChildAsync(Today.AddYears(-7));
        for (var attempt = 1; attempt < 5; attempt++)
        {
            await ShouldBeProblemAsync(await AttachAsync(parent, child, serial: $"00000000{attempt}"), HttpStatusCode.BadRequest, "guardianship-refused");
        }

        using var locked = await AttachAsync(parent, child, serial: "000000009");
        await ShouldBeProblemAsync(locked, HttpStatusCode.TooManyRequests, "too-many-attempts");
        RetryAfterOf(locked).Should().BePositive();
        using var stillLocked = await AttachAsync(parent, child);
        await ShouldBeProblemAsync(stillLocked, HttpStatusCode.TooManyRequests, "too-many-attempts");
        (await Silo.StatusOfAsync(Nir.Parse(child.Nir))).Should().Be(SpaceStatus.Created);
    }

    [Fact]
    public async Task An_adult_space_or_ones_own_cannot_be_attached()
    {
        var (adult, parent) = await ActivePatientAsync();
        var (other, _) = await ActivePatientAsync();
        await ShouldBeProblemAsync(await AttachAsync(parent, other), HttpStatusCode.Conflict, "not-a-minor");
        await ShouldBeProblemAsync(await AttachAsync(parent, adult), HttpStatusCode.BadRequest, "guardianship-refused");
    }

    /// <summary>Enrols a child born on <paramref name="birthDate"/> (their own NIR, birth year and month in it) and delivers its code.</summary>
    private async Task<Person> EnrolChildAsync(DateOnly birthDate)
    {
        var template = NewPerson();
        var first13 = string.Create(CultureInfo.InvariantCulture, $"{(template.Sex == "F" ? 2 : 1)}{birthDate.Year % 100:D2}{birthDate.Month:D2}{template.Nir[5..13]}");
        var child = template with { Nir = first13 + Nir.ComputeKey(first13).ToString("D2", CultureInfo.InvariantCulture), BirthDate = birthDate, FirstNames = "Léa" };
        await EnrolAsync(child);
        return child;
    }

    private static string OtherNir(Person person)
    {
        var first13 = person.Nir[..10] + (person.Nir[10] == '9' ? '0' : (char)(person.Nir[10] + 1)) + person.Nir[11..13];
        return first13 + Nir.ComputeKey(first13).ToString("D2", CultureInfo.InvariantCulture);
    }

    private static Task<HttpResponseMessage> AttachAsync(HttpClient parent, Person child, string? serial = null, DateOnly? birthDate = null, bool parentalAuthority = true) =>
        parent.PostAsJsonAsync("/api/me/children", new
        {
            nir = child.Nir,
            vitaleSerial = serial ?? child.VitaleSerial,
            cardType = child.CardType == "with_photo" ? "WithPhoto" : "WithoutPhoto",
            birthDate = birthDate ?? child.BirthDate,
            parentalAuthority,
        });

    private static async Task<Guid> AttachOkAsync(HttpClient parent, Person child)
    {
        using var response = await AttachAsync(parent, child);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ChildSpace>(Json.Options))!.SpaceId;
    }

    /// <summary>The parent's session acting on the child's space.</summary>
    private HttpClient As(HttpClient parent, Guid childId)
    {
        var client = Silo.CreateClient();
        client.DefaultRequestHeaders.Authorization = parent.DefaultRequestHeaders.Authorization;
        client.DefaultRequestHeaders.Add("X-Child-Space", childId.ToString());
        return client;
    }

    private static object ChildReport(Person child, string title, bool hiddenFromGuardians = false) => new
    {
        patient = new { nir = child.Nir, birthDate = child.BirthDate },
        document = new
        {
            typeCode = "11488-4",
            title,
            clinicalDate = new DateOnly(2026, 10, 30),
            sourceSoftware = "LabSys 4.2",
            author = new { kind = "Professional", id = "10003456786", name = "Dr Claire Martin" },
            hiddenFromGuardians,
        },
    };
}
