using System.Net.Http.Json;
using System.Text.Json;

namespace MonEspaceSante.Tests.Infrastructure;

/// <summary>
/// The real SMTP server the test script starts on loopback (maildev: MES_TEST_SMTP for SMTP,
/// MES_TEST_MAILDEV for its REST API). Tests that need it fail, not skip, without it.
/// </summary>
public static class MailDev
{
    public static (string Host, int Port) Smtp
    {
        get
        {
            var value = Environment.GetEnvironmentVariable("MES_TEST_SMTP")
                ?? throw new InvalidOperationException("MES_TEST_SMTP is not set: run the tests with tests/run.sh, which starts maildev.");
            var colon = value.LastIndexOf(':');
            return (value[..colon], int.Parse(value[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static Uri Api => new(
        (Environment.GetEnvironmentVariable("MES_TEST_MAILDEV")
            ?? throw new InvalidOperationException("MES_TEST_MAILDEV is not set: run the tests with tests/run.sh, which starts maildev.")) + "/api/email");

    /// <summary>Silo settings that send mail through maildev.</summary>
    public static Dictionary<string, string?> Settings() => new()
    {
        ["Mail:SmtpHost"] = Smtp.Host,
        ["Mail:SmtpPort"] = Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>What maildev received for <paramref name="address"/> so far.</summary>
    public static async Task<IReadOnlyList<ReceivedMail>> ToAsync(string address)
    {
        using var http = new HttpClient();
        var all = await http.GetFromJsonAsync<JsonElement>(Api);
        return all.EnumerateArray()
            .Where(m => m.GetProperty("envelope").GetProperty("to").EnumerateArray().Any(t => string.Equals(t.GetProperty("address").GetString(), address, StringComparison.OrdinalIgnoreCase)))
            .Select(m => new ReceivedMail(address, m.GetProperty("subject").GetString() ?? "", m.TryGetProperty("text", out var text) ? text.GetString() ?? "" : ""))
            .ToList();
    }

    /// <summary>
    /// maildev's JSON of each mail received for <paramref name="address"/>: <c>headers</c> holds the
    /// plain ones (names in lower case), <c>from</c> and <c>to</c> the parsed addresses.
    /// </summary>
    public static async Task<IReadOnlyList<JsonElement>> RawToAsync(string address)
    {
        using var http = new HttpClient();
        var all = await http.GetFromJsonAsync<JsonElement>(Api);
        return all.EnumerateArray()
            .Where(m => m.GetProperty("envelope").GetProperty("to").EnumerateArray().Any(t => string.Equals(t.GetProperty("address").GetString(), address, StringComparison.OrdinalIgnoreCase)))
            .ToList();
    }

    /// <summary>Waits until maildev holds at least <paramref name="count"/> mails for the address (SMTP acceptance and the API are not in lockstep).</summary>
    public static async Task<IReadOnlyList<ReceivedMail>> WaitForAsync(string address, int count = 1, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var mails = await ToAsync(address);
            if (mails.Count >= count || DateTime.UtcNow > deadline)
            {
                return mails;
            }

            await Task.Delay(100);
        }
    }
}
