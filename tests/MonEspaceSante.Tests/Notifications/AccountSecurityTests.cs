using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Notifications;

/// <summary>Account events the patient is told of, in the feed and by an e-mail they cannot turn off.</summary>
public sealed class AccountSecurityTests : AccessTestBase
{
    private const string NewPassword = "Another-Horse-77?";

    private async Task<(Person Person, HttpClient Patient)> ActiveAsync()
    {
        var person = NewPerson();
        await EnrolAsync(person);
        (await ActivateAsync(person, CodeOf(person))).StatusCode.Should().Be(HttpStatusCode.OK);
        return (person, await LoginAsync(person.Email!));
    }

    /// <summary>A full login (password, then the e-mailed code) with an optional device token; returns the response body.</summary>
    private async Task<JsonElement> LoginWithDeviceAsync(string email, string? deviceToken, string password = Password)
    {
        using var login = await Client.PostAsJsonAsync("/api/auth/login", new { email, password });
        login.StatusCode.Should().Be(HttpStatusCode.OK, await login.Content.ReadAsStringAsync());
        var challenge = await login.Content.ReadFromJsonAsync<JsonElement>();
        await Silo.RunJobsAsync();
        using var verify = await Client.PostAsJsonAsync("/api/auth/login/verify", new { email, challengeId = challenge.GetProperty("challengeId").GetGuid(), code = MailPickup.LastLoginCode(DataPath, email), deviceToken });
        verify.StatusCode.Should().Be(HttpStatusCode.OK, await verify.Content.ReadAsStringAsync());
        await Silo.RunJobsAsync();
        return await verify.Content.ReadFromJsonAsync<JsonElement>();
    }

    private HttpClient WithToken(string token)
    {
        var client = Silo.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private int NewDeviceMails(string email) => MailPickup.To(DataPath, email).Count(m => m.Subject.Contains("Nouvel appareil", StringComparison.Ordinal));

    [Fact]
    public async Task A_login_from_an_unknown_device_is_notified_and_e_mailed_and_a_known_device_is_not()
    {
        var (person, patient) = await ActiveAsync();
        var email = person.Email!;
        await Silo.RunJobsAsync();
        NewDeviceMails(email).Should().Be(1, "the first login came from a device never seen");

        var first = await LoginWithDeviceAsync(email, null);
        var device = first.GetProperty("deviceToken").GetString();
        device.Should().NotBeNullOrEmpty();
        NewDeviceMails(email).Should().Be(2);

        var again = await LoginWithDeviceAsync(email, device);
        again.GetProperty("deviceToken").ValueKind.Should().Be(JsonValueKind.Null, "a known device keeps its token");
        NewDeviceMails(email).Should().Be(2);

        await LoginWithDeviceAsync(email, "made-up-device-token");
        NewDeviceMails(email).Should().Be(3);

        var kinds = (await NotificationsAsync(patient)).Select(n => n.GetProperty("kind").GetString()).ToList();
        kinds.Count(k => k == "security.new-device").Should().Be(3);
        kinds.Count(k => k == "security.login").Should().Be(1);
        MailPickup.To(DataPath, email).Where(m => m.Subject.Contains("Nouvel appareil", StringComparison.Ordinal))
            .Should().OnlyContain(m => !m.Body.Contains(device!, StringComparison.Ordinal), "the device token is a secret and never mailed")
            .And.OnlyContain(m => m.Subject == "Nouvel appareil utilisé sur votre espace Mon Espace Santé");
    }

    [Fact]
    public async Task Only_the_last_ten_devices_are_remembered()
    {
        var (person, _) = await ActiveAsync();
        var first = (await LoginWithDeviceAsync(person.Email!, null)).GetProperty("deviceToken").GetString();
        for (var i = 0; i < 10; i++)
        {
            await LoginWithDeviceAsync(person.Email!, null);
        }

        var before = NewDeviceMails(person.Email!);
        (await LoginWithDeviceAsync(person.Email!, first)).GetProperty("deviceToken").GetString().Should().NotBeNull("the eleventh device pushed the first one out");
        NewDeviceMails(person.Email!).Should().Be(before + 1);
    }

    [Fact]
    public async Task A_password_change_needs_the_current_password_ends_other_sessions_and_alerts_the_patient()
    {
        var (person, patient) = await ActiveAsync();
        var email = person.Email!;
        var other = WithToken((await LoginWithDeviceAsync(email, null)).GetProperty("accessToken").GetString()!);
        (await other.GetAsync("/api/me")).StatusCode.Should().Be(HttpStatusCode.OK);

        await ShouldBeProblemAsync(await patient.PostAsJsonAsync("/api/me/password", new { currentPassword = "Wrong-Horse-42!", newPassword = NewPassword }), HttpStatusCode.Unauthorized, "login-refused");
        await ShouldBeProblemAsync(await patient.PostAsJsonAsync("/api/me/password", new { currentPassword = Password, newPassword = "short" }), HttpStatusCode.BadRequest, "weak-password");
        await ShouldBeProblemAsync(await patient.PostAsJsonAsync("/api/me/password", new { currentPassword = Password }), HttpStatusCode.BadRequest, "invalid-request");
        (await other.GetAsync("/api/me")).StatusCode.Should().Be(HttpStatusCode.OK, "refused changes change nothing");

        using (var changed = await patient.PostAsJsonAsync("/api/me/password", new { currentPassword = Password, newPassword = NewPassword }))
        {
            changed.StatusCode.Should().Be(HttpStatusCode.NoContent, await changed.Content.ReadAsStringAsync());
        }

        (await patient.GetAsync("/api/me")).StatusCode.Should().Be(HttpStatusCode.OK, "the session that changed it stays open");
        (await other.GetAsync("/api/me")).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "every other session ends");
        await Silo.RunJobsAsync();
        MailPickup.To(DataPath, email).Should().Contain(m => m.Subject.Contains("mot de passe", StringComparison.Ordinal));
        (await NotificationsAsync(patient)).Should().Contain(n => n.GetProperty("kind").GetString() == "security.password-changed");

        using var oldLogin = await Client.PostAsJsonAsync("/api/auth/login", new { email, password = Password });
        oldLogin.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        await LoginWithDeviceAsync(email, null, NewPassword);
    }

    [Fact]
    public async Task Wrong_passwords_on_a_settings_change_count_toward_the_lockout()
    {
        var (_, patient) = await ActiveAsync();
        for (var i = 0; i < 4; i++)
        {
            await ShouldBeProblemAsync(await patient.PostAsJsonAsync("/api/me/password", new { currentPassword = $"Wrong-{i}-Horse!", newPassword = NewPassword }), HttpStatusCode.Unauthorized, "login-refused");
        }

        await ShouldBeProblemAsync(await patient.PostAsJsonAsync("/api/me/password", new { currentPassword = "Wrong-5-Horse!", newPassword = NewPassword }), HttpStatusCode.Locked, "account-locked");
        await ShouldBeProblemAsync(await patient.PostAsJsonAsync("/api/me/password", new { currentPassword = Password, newPassword = NewPassword }), HttpStatusCode.Locked, "account-locked");
    }

    [Fact]
    public async Task An_e_mail_change_is_confirmed_by_a_code_sent_to_the_new_address_and_the_old_one_is_told()
    {
        var (person, patient) = await ActiveAsync();
        var (taken, _) = await ActiveAsync();
        var old = person.Email!;
        var fresh = "nouvelle." + Guid.NewGuid().ToString("N")[..8] + "@example.org";

        await ShouldBeProblemAsync(await patient.PostAsJsonAsync("/api/me/email", new { password = "Wrong-Horse-42!", newEmail = fresh }), HttpStatusCode.Unauthorized, "login-refused");
        await ShouldBeProblemAsync(await patient.PostAsJsonAsync("/api/me/email", new { password = Password, newEmail = "not an address" }), HttpStatusCode.BadRequest, "invalid-email");
        await ShouldBeProblemAsync(await patient.PostAsJsonAsync("/api/me/email", new { password = Password, newEmail = taken.Email }), HttpStatusCode.Conflict, "email-taken");
        await ShouldBeProblemAsync(await patient.PostAsJsonAsync("/api/me/email", new { password = Password, newEmail = old }), HttpStatusCode.BadRequest, "invalid-request");

        using var request = await patient.PostAsJsonAsync("/api/me/email", new { password = Password, newEmail = fresh });
        request.StatusCode.Should().Be(HttpStatusCode.Accepted, await request.Content.ReadAsStringAsync());
        var challengeId = (await request.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("challengeId").GetGuid();
        await Silo.RunJobsAsync();
        var codeMail = MailPickup.To(DataPath, fresh).Should().ContainSingle().Subject;
        var code = System.Text.RegularExpressions.Regex.Match(codeMail.Body, @"\b\d{6}\b").Value;

        await ShouldBeProblemAsync(await patient.PostAsJsonAsync("/api/me/email/confirm", new { challengeId, code = code == "000000" ? "111111" : "000000" }), HttpStatusCode.Unauthorized, "second-factor-refused");
        await ShouldBeProblemAsync(await patient.PostAsJsonAsync("/api/me/email/confirm", new { challengeId = Guid.NewGuid(), code }), HttpStatusCode.Unauthorized, "second-factor-refused");
        (await patient.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("email").GetString().Should().Be(old, "nothing changes before the confirmation");

        using (var confirmed = await patient.PostAsJsonAsync("/api/me/email/confirm", new { challengeId, code }))
        {
            confirmed.StatusCode.Should().Be(HttpStatusCode.OK, await confirmed.Content.ReadAsStringAsync());
            (await confirmed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("email").GetString().Should().Be(fresh);
        }

        await ShouldBeProblemAsync(await patient.PostAsJsonAsync("/api/me/email/confirm", new { challengeId, code }), HttpStatusCode.Unauthorized, "second-factor-refused");
        await Silo.RunJobsAsync();
        var told = MailPickup.To(DataPath, old)[^1];
        told.Subject.Should().Contain("adresse");
        told.Body.Should().Contain("n***@example.org").And.NotContain(fresh, "the old address learns of the change, not the whole new address");
        MailPickup.To(DataPath, fresh).Should().HaveCount(2);
        (await NotificationsAsync(patient)).Should().Contain(n => n.GetProperty("kind").GetString() == "security.email-changed");

        using var oldLogin = await Client.PostAsJsonAsync("/api/auth/login", new { email = old, password = Password });
        oldLogin.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        await LoginWithDeviceAsync(fresh, null);

        // The old address is free again for anyone.
        using var reuse = await WithToken((await LoginWithDeviceAsync(taken.Email!, null)).GetProperty("accessToken").GetString()!)
            .PostAsJsonAsync("/api/me/email", new { password = Password, newEmail = old });
        reuse.StatusCode.Should().Be(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task Alert_preferences_default_to_on_and_security_alerts_cannot_be_turned_off()
    {
        var (_, patient) = await ActiveAsync();
        var preferences = await patient.GetFromJsonAsync<JsonElement>("/api/me/alerts");
        preferences.GetProperty("messages").GetBoolean().Should().BeTrue();
        preferences.GetProperty("documents").GetBoolean().Should().BeTrue();
        preferences.GetProperty("security").GetBoolean().Should().BeTrue();

        await ShouldBeProblemAsync(await patient.PutAsJsonAsync("/api/me/alerts", new { messages = true, documents = true, security = false }), HttpStatusCode.BadRequest, "invalid-request");
        await ShouldBeProblemAsync(await patient.PutAsJsonAsync("/api/me/alerts", new { messages = false }), HttpStatusCode.BadRequest, "invalid-request");
        (await patient.GetFromJsonAsync<JsonElement>("/api/me/alerts")).GetProperty("messages").GetBoolean().Should().BeTrue();

        using var put = await patient.PutAsJsonAsync("/api/me/alerts", new { messages = false, documents = true });
        put.StatusCode.Should().Be(HttpStatusCode.OK);
        var saved = await patient.GetFromJsonAsync<JsonElement>("/api/me/alerts");
        saved.GetProperty("messages").GetBoolean().Should().BeFalse();
        saved.GetProperty("documents").GetBoolean().Should().BeTrue();
        (await Client.GetAsync("/api/me/alerts")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }
}
