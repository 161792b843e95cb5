using System.Text.Json;

namespace MonEspaceSante.Tests.Realtime;

/// <summary>Reads a text/event-stream: comment lines skipped, each event's <c>id</c> checked against its data.</summary>
public sealed class ServerSentEvents(Stream body)
{
    private readonly StreamReader reader = new(body);

    public async Task<Seen> NextAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        string? id = null;
        string? data = null;
        while (await reader.ReadLineAsync(cancel.Token) is { } line)
        {
            if (line.Length == 0)
            {
                if (data is not null)
                {
                    var seen = Seen.From(JsonDocument.Parse(data).RootElement);
                    id.Should().Be(seen.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), "the event id is the sequence a client resumes after");
                    return seen;
                }

                continue;
            }

            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line[6..];
            }
        }

        throw new InvalidOperationException("The event stream ended.");
    }
}
