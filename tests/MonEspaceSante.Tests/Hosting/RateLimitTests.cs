using System.Net;
using System.Net.Http.Json;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Hosting;

/// <summary>The per-address limit on the anonymous account flows says when to come back.</summary>
public sealed class RateLimitTests : SpaceTestBase
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimits:AccountFlowPermits"] = "2",
        ["RateLimits:AccountFlowWindow"] = "00:10:00",
    };

    [Fact]
    public async Task Past_the_limit_an_address_gets_a_429_problem_with_retry_after()
    {
        for (var i = 0; i < 2; i++)
        {
            using var allowed = await Client.PostAsJsonAsync("/api/auth/login", new { email = "nobody@example.net", password = "Wrong-Password-1" });
            allowed.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        using var limited = await Client.PostAsJsonAsync("/api/auth/login", new { email = "nobody@example.net", password = "Wrong-Password-1" });
        await ShouldBeProblemAsync(limited, HttpStatusCode.TooManyRequests, "rate-limited");
        RetryAfterOf(limited).Should().BePositive().And.BeLessThanOrEqualTo(TimeSpan.FromMinutes(10), "the window is ten minutes");
    }
}
