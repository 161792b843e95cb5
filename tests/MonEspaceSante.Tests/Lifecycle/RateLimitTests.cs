using System.Net;
using System.Net.Http.Json;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Lifecycle;

public sealed class RateLimitTests : SpaceTestBase
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["RateLimits:AccountFlowPermits"] = "3" };

    [Fact]
    public async Task One_client_address_is_limited_across_all_account_flows_whatever_nir_it_tries()
    {
        for (var i = 0; i < 3; i++)
        {
            var stranger = NewPerson();
            await ShouldBeProblemAsync(await Client.PostAsJsonAsync("/api/activation", ActivationBody(stranger, "ABCD-EFGH-JKMNP")), HttpStatusCode.BadRequest, "activation-refused");
        }

        await ShouldBeProblemAsync(await Client.PostAsJsonAsync("/api/opposition", new { code = "ABCD-EFGH-JKMNP", nir = NewPerson().Nir }), HttpStatusCode.TooManyRequests, "rate-limited");
        await ShouldBeProblemAsync(await Client.PostAsJsonAsync("/api/auth/login", new { email = "a@example.org", password = "x" }), HttpStatusCode.TooManyRequests, "rate-limited");
        (await Client.GetAsync("/health")).StatusCode.Should().Be(HttpStatusCode.OK, "only the account flows are limited");
    }
}
