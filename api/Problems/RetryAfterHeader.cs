using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace MonEspaceSante.Api.Problems;

/// <summary><c>Retry-After</c> as delay-seconds (RFC 9110 §10.2.3): whole seconds, rounded up, never 0.</summary>
public static class RetryAfterHeader
{
    public static void SetRetryAfter(this HttpResponse response, TimeSpan wait)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
    }
}
