using System.Collections.Frozen;
using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace MonEspaceSante.Api.Problems;

/// <summary><c>Retry-After</c> as delay-seconds (RFC 9110 §10.2.3): whole seconds, rounded up, never 0.</summary>
public static class RetryAfterHeader
{
    /// <summary>
    /// The statuses sent with <c>Retry-After</c>, each a refusal that lifts by itself: an account
    /// lockout (423), a rate or hourly limit (429), storage or <c>/health</c> unavailable (503). The
    /// OpenAPI document declares the header on every response of these statuses.
    /// </summary>
    public static readonly FrozenSet<int> Statuses = FrozenSet.Create(
        StatusCodes.Status423Locked, StatusCodes.Status429TooManyRequests, StatusCodes.Status503ServiceUnavailable);

    public static void SetRetryAfter(this HttpResponse response, TimeSpan wait)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
    }
}
