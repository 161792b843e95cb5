using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MonEspaceSante.Identity;
using MonEspaceSante.Spaces;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Lifecycle;

public sealed class ActivationTests : SpaceTestBase
{
    [Fact]
    public async Task Enrolled_person_activates_logs_in_with_a_second_factor_and_reads_their_space()
    {
        var person = NewPerson();
        await EnrolAsync(person);
        (await Silo.StatusOfAsync(Nir.Parse(person.Nir))).Should().Be(SpaceStatus.Created);

        using var activation = await ActivateAsync(person, CodeOf(person));
        activation.StatusCode.Should().Be(HttpStatusCode.OK, await activation.Content.ReadAsStringAsync());
        activation.Headers.CacheControl!.NoStore.Should().BeTrue();
        (await Silo.StatusOfAsync(Nir.Parse(person.Nir))).Should().Be(SpaceStatus.Active);

        using var patient = await LoginAsync(person.Email!);
        using var me = await patient.GetAsync("/api/me");
        me.StatusCode.Should().Be(HttpStatusCode.OK);
        me.Headers.CacheControl!.NoStore.Should().BeTrue();
        var summary = await me.Content.ReadFromJsonAsync<SpaceSummary>(Json.Options);
        summary!.Status.Should().Be(SpaceStatus.Active);
        summary.ActivationMode.Should().Be(ActivationMode.ByPatient);
        summary.BirthName.Should().Be(person.BirthName);
        summary.SpaceId.ToString().Should().NotContain(person.Nir);

        var feed = await patient.GetFromJsonAsync<JsonElement>("/api/me/notifications");
        feed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("kind").GetString()).Should().Contain(["account.activated", "security.new-device"], "a first login comes from a device the space has never seen");
    }

    [Fact]
    public async Task Every_wrong_factor_gets_the_same_refusal_and_changes_nothing()
    {
        var person = NewPerson();
        var stranger = NewPerson();
        await EnrolAsync(person);
        var code = CodeOf(person);
        var otherCode = ActivationCodeFor(code);

        var attempts = new[]
        {
            ActivationBody(person, otherCode),
            ActivationBody(person, code, serial: "999999999"),
            ActivationBody(person, code, cardType: person.CardType == "with_photo" ? "WithoutPhoto" : "WithPhoto"),
            ActivationBody(person, code, nir: stranger.Nir),
        };
        var bodies = new List<string>();
        foreach (var attempt in attempts)
        {
            using var response = await Client.PostAsJsonAsync("/api/activation", attempt);
            await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, "activation-refused");
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            bodies.Add(problem.GetProperty("title").GetString() + "|" + (problem.TryGetProperty("detail", out var detail) ? detail.GetString() : ""));
        }

        bodies.Distinct().Should().ContainSingle("the refusal must not say which factor was wrong");
        (await Silo.StatusOfAsync(Nir.Parse(person.Nir))).Should().Be(SpaceStatus.Created);

        using var success = await ActivateAsync(person, code);
        success.StatusCode.Should().Be(HttpStatusCode.OK, "four failures stay under the lock-out threshold");
    }

    [Fact]
    public async Task A_used_code_and_an_expired_code_are_refused()
    {
        var used = NewPerson();
        var late = NewPerson();
        await EnrolAsync(used, late);
        (await ActivateAsync(used, CodeOf(used))).StatusCode.Should().Be(HttpStatusCode.OK);
        await ShouldBeProblemAsync(await ActivateAsync(used, CodeOf(used), email: "other@example.org"), HttpStatusCode.BadRequest, "activation-refused");

        Silo.Clock.Advance(TimeSpan.FromDays(42));
        await ShouldBeProblemAsync(await ActivateAsync(late, CodeOf(late)), HttpStatusCode.BadRequest, "activation-refused");
        (await Silo.StatusOfAsync(Nir.Parse(late.Nir))).Should().Be(SpaceStatus.Created);
    }

    [Fact]
    public async Task Repeated_failures_lock_the_space_against_guessing_even_with_the_right_code()
    {
        var person = NewPerson();
        await EnrolAsync(person);
        var code = CodeOf(person);
        for (var i = 0; i < 4; i++)
        {
            await ShouldBeProblemAsync(await ActivateAsync(person, ActivationCodeFor(code)), HttpStatusCode.BadRequest, "activation-refused");
        }

        using (var locking = await ActivateAsync(person, ActivationCodeFor(code)))
        {
            await ShouldBeProblemAsync(locking, HttpStatusCode.TooManyRequests, "too-many-attempts");
            RetryAfterOf(locking).Should().BeCloseTo(TimeSpan.FromHours(1), TimeSpan.FromSeconds(2), "the codes stay locked for an hour");
        }

        using (var locked = await ActivateAsync(person, code))
        {
            await ShouldBeProblemAsync(locked, HttpStatusCode.TooManyRequests, "too-many-attempts");
            RetryAfterOf(locked).Should().BeCloseTo(TimeSpan.FromHours(1), TimeSpan.FromSeconds(2));
        }

        (await Silo.StatusOfAsync(Nir.Parse(person.Nir))).Should().Be(SpaceStatus.Created);

        Silo.Clock.Advance(TimeSpan.FromMinutes(61));
        (await ActivateAsync(person, code)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Weak_passwords_invalid_emails_and_malformed_requests_are_refused_before_anything_changes()
    {
        var person = NewPerson();
        await EnrolAsync(person);
        var code = CodeOf(person);
        await ShouldBeProblemAsync(await Client.PostAsJsonAsync("/api/activation", ActivationBody(person, code, password: "short")), HttpStatusCode.BadRequest, "weak-password");
        await ShouldBeProblemAsync(await Client.PostAsJsonAsync("/api/activation", ActivationBody(person, code, password: "alllowercaseletters")), HttpStatusCode.BadRequest, "weak-password");
        await ShouldBeProblemAsync(await Client.PostAsJsonAsync("/api/activation", ActivationBody(person, code, email: "Name <a@b.fr>")), HttpStatusCode.BadRequest, "invalid-email");
        await ShouldBeProblemAsync(await Client.PostAsJsonAsync("/api/activation", new { code }), HttpStatusCode.BadRequest, "invalid-request");
        using var garbage = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json");
        (await Client.PostAsync("/api/activation", garbage)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await Silo.StatusOfAsync(Nir.Parse(person.Nir))).Should().Be(SpaceStatus.Created);
        (await ActivateAsync(person, code)).StatusCode.Should().Be(HttpStatusCode.OK, "format errors do not count as guesses");
    }

    [Fact]
    public async Task An_email_already_used_by_another_space_is_refused_and_the_code_stays_usable()
    {
        var first = NewPerson();
        var second = NewPerson();
        await EnrolAsync(first, second);
        (await ActivateAsync(first, CodeOf(first))).StatusCode.Should().Be(HttpStatusCode.OK);
        await ShouldBeProblemAsync(await ActivateAsync(second, CodeOf(second), email: first.Email), HttpStatusCode.Conflict, "email-taken");
        (await ActivateAsync(second, CodeOf(second))).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Login_refusals_do_not_reveal_accounts_and_lock_after_repeated_failures()
    {
        var person = NewPerson();
        await EnrolAsync(person);
        (await ActivateAsync(person, CodeOf(person))).StatusCode.Should().Be(HttpStatusCode.OK);

        await ShouldBeProblemAsync(await Client.PostAsJsonAsync("/api/auth/login", new { email = "nobody@example.org", password = Password }), HttpStatusCode.Unauthorized, "login-refused");
        for (var i = 0; i < 4; i++)
        {
            await ShouldBeProblemAsync(await Client.PostAsJsonAsync("/api/auth/login", new { email = person.Email, password = "Wrong-Password-1" }), HttpStatusCode.Unauthorized, "login-refused");
        }

        using (var locking = await Client.PostAsJsonAsync("/api/auth/login", new { email = person.Email, password = "Wrong-Password-1" }))
        {
            await ShouldBeProblemAsync(locking, (HttpStatusCode)423, "account-locked");
            RetryAfterOf(locking).Should().BeCloseTo(TimeSpan.FromMinutes(15), TimeSpan.FromSeconds(2), "the login stays locked for 15 minutes");
        }

        using (var locked = await Client.PostAsJsonAsync("/api/auth/login", new { email = person.Email, password = Password }))
        {
            await ShouldBeProblemAsync(locked, (HttpStatusCode)423, "account-locked");
            RetryAfterOf(locked).Should().BeCloseTo(TimeSpan.FromMinutes(15), TimeSpan.FromSeconds(2));
        }

        Silo.Clock.Advance(TimeSpan.FromMinutes(16));
        using var patient = await LoginAsync(person.Email!);
        (await patient.GetAsync("/api/me")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_wrong_or_replayed_second_factor_is_refused_and_the_challenge_dies_after_five_tries()
    {
        var person = NewPerson();
        await EnrolAsync(person);
        (await ActivateAsync(person, CodeOf(person))).StatusCode.Should().Be(HttpStatusCode.OK);
        using var login = await Client.PostAsJsonAsync("/api/auth/login", new { email = person.Email, password = Password });
        var challengeId = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("challengeId").GetGuid();
        await Silo.RunJobsAsync();
        var code = MailPickup.LastLoginCode(DataPath, person.Email!);
        var wrong = code == "000000" ? "111111" : "000000";
        for (var i = 0; i < 5; i++)
        {
            await ShouldBeProblemAsync(await Client.PostAsJsonAsync("/api/auth/login/verify", new { email = person.Email, challengeId, code = wrong }), HttpStatusCode.Unauthorized, "second-factor-refused");
        }

        await ShouldBeProblemAsync(await Client.PostAsJsonAsync("/api/auth/login/verify", new { email = person.Email, challengeId, code }), HttpStatusCode.Unauthorized, "second-factor-refused");
    }

    [Fact]
    public async Task Tokens_are_checked_on_every_request_and_roles_are_kept_apart()
    {
        var person = NewPerson();
        await EnrolAsync(person);
        (await ActivateAsync(person, CodeOf(person))).StatusCode.Should().Be(HttpStatusCode.OK);
        using var patient = await LoginAsync(person.Email!);
        using var op = Silo.Operator();

        (await Client.GetAsync("/api/me")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await op.GetAsync("/api/me")).StatusCode.Should().Be(HttpStatusCode.Forbidden, "operators never read a space");
        (await patient.GetAsync("/api/operator/spaces/counts")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        using var forged = Silo.CreateClient();
        forged.DefaultRequestHeaders.Authorization = new("Bearer", "forged-token");
        (await forged.GetAsync("/api/me")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        (await patient.PostAsync("/api/auth/logout", null)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await patient.GetAsync("/api/me")).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "a revoked session is refused at once");
    }

    /// <summary>A well-formed code that differs from <paramref name="code"/>.</summary>
    private static string ActivationCodeFor(string code)
    {
        var other = MonEspaceSante.Security.ActivationCode.New();
        return other == code ? ActivationCodeFor(code) : other;
    }
}
