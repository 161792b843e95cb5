using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MonEspaceSante.Access;
using MonEspaceSante.Documents;
using MonEspaceSante.Tests.Infrastructure;
using MonEspaceSante.Tests.Realtime;

namespace MonEspaceSante.Tests.Children;

/// <summary>
/// A document a professional hid from a minor's guardians does not exist for them: every route a
/// guardian may read (walked from the OpenAPI document, so a new route is walked too) is read
/// with such documents present, and none tells of them.
/// </summary>
public sealed partial class ChildSpaceTests
{
    private const string HiddenTitle = "Dépistage confidentiel";

    [Fact]
    public async Task No_route_a_guardian_reads_tells_of_a_document_hidden_from_guardians()
    {
        var (_, parent) = await ActivePatientAsync();
        var child = await EnrolChildAsync(Today.AddYears(-15));
        var childId = await AttachOkAsync(parent, child);
        using var guardian = As(parent, childId);
        await LoadDirectoryAsync();
        await AddProfessionalsAsync(Physician, OtherPhysician);
        await GrantAsync(guardian, LabBiologist);
        await GrantAsync(guardian, Physician);

        // The guardian's live connections are open while it all happens.
        await using var hub = await HubClient.ConnectAsync(Silo.Server, await TicketOfAsync(guardian));
        using var streamRequest = new HttpRequestMessage(HttpMethod.Get, "/api/realtime/stream?access_token=" + Uri.EscapeDataString(await TicketOfAsync(guardian)));
        streamRequest.Headers.Add("Last-Event-ID", "0");
        using var stream = await Client.SendAsync(streamRequest, HttpCompletionOption.ResponseHeadersRead);
        stream.StatusCode.Should().Be(HttpStatusCode.OK);
        using var stopReading = new CancellationTokenSource();
        var streamed = ReadUntilAsync(await stream.Content.ReadAsStreamAsync(), stopReading.Token);

        using var lab = await LabSoftwareAsync();
        var hidden = await UploadOkAsync(lab, ChildReport(child, HiddenTitle, hiddenFromGuardians: true), Samples.Pdf(), "application/pdf", Clients);
        var hiddenVersion = await UploadOkAsync(lab, new
        {
            patient = new { nir = child.Nir, birthDate = child.BirthDate },
            document = new
            {
                typeCode = "11488-4",
                title = HiddenTitle + " (v2)",
                clinicalDate = new DateOnly(2026, 10, 31),
                sourceSoftware = "LabSys 4.2",
                author = new { kind = "Professional", id = "10003456786", name = "Dr Claire Martin" },
                replaces = hidden.Id,
            },
        }, Samples.Pdf(), "application/pdf", Clients);
        hiddenVersion.HiddenFromGuardians.Should().BeTrue("a new version keeps the flag");
        var visible = await UploadOkAsync(lab, ChildReport(child, "Bilan annuel"), Samples.Pdf(), "application/pdf", Clients);
        using (var pro = await ProAsync(Physician))
        {
            (await pro.GetAsync($"/api/pro/patients/{childId}/documents/{hiddenVersion.Id}")).StatusCode.Should().Be(HttpStatusCode.OK);
            (await pro.GetAsync($"/api/pro/patients/{childId}/documents/{hiddenVersion.Id}/content")).StatusCode.Should().Be(HttpStatusCode.OK);
            (await pro.GetAsync($"/api/pro/patients/{childId}/documents/{visible.Id}")).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        using (var refused = await ProAsync(OtherPhysician))
        {
            (await refused.GetAsync($"/api/pro/patients/{childId}/documents/{hidden.Id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        }

        var secrets = new[] { hidden.Id.ToString(), hiddenVersion.Id.ToString(), HiddenTitle };
        var read = new Dictionary<string, string>();
        foreach (var path in await GuardianReadablePathsAsync())
        {
            foreach (var url in Expand(path, visible.Id))
            {
                using var response = await guardian.GetAsync(url);
                ((int)response.StatusCode).Should().BeLessThan(500, url);
                read[url] = await ReadableTextAsync(response, generated: !url.EndsWith("/content", StringComparison.Ordinal));
            }

            // The hidden documents' own ids get the answer an unknown id gets.
            if (path.StartsWith("/api/me/documents/{id}", StringComparison.Ordinal))
            {
                foreach (var id in new[] { hidden.Id, hiddenVersion.Id })
                {
                    using var asked = await guardian.GetAsync(path.Replace("{id}", id.ToString(), StringComparison.Ordinal));
                    using var unknown = await guardian.GetAsync(path.Replace("{id}", Guid.NewGuid().ToString(), StringComparison.Ordinal));
                    (await NotFoundShapeAsync(asked)).Should().Be(await NotFoundShapeAsync(unknown), path);
                }
            }
        }

        read.Keys.Should().Contain(["/api/me/documents", "/api/me/notifications?limit=500", "/api/me/access-history?limit=200", "/api/me/access-history/pdf", "/api/me/health-profile/pdf", "/api/me/archive"]);
        read.Should().Contain(r => r.Value.Contains(visible.Id.ToString(), StringComparison.Ordinal), "the walk does reach the documents a guardian sees");

        read["hub"] = string.Join('\n', (await hub.ResumeAsync(0)).Select(e => e.GetRawText()));
        stopReading.CancelAfter(TimeSpan.FromMilliseconds(500));
        read["event stream"] = await streamed;
        while (hub.Pushes.TryRead(out var push))
        {
            read["hub"] += "\n" + push.Argument?.GetRawText();
        }

        foreach (var (route, text) in read)
        {
            foreach (var secret in secrets)
            {
                text.Should().NotContain(secret, $"{route} must not tell a guardian of a document hidden from them");
            }

            Regex.IsMatch(text, @"hiddenFromGuardians\\?""\s*:\s*\\?""true").Should().BeFalse($"{route} carries no notification marked as hidden from guardians");
        }

        // Nothing counts what was left out: every access notification the guardian reads is an
        // entry of the history they read, and the PDF and the verification count the same entries.
        var history = await HistoryAsync(guardian, "?limit=200");
        history.Items.Should().Contain(e => e.Target == visible.Id.ToString() && e.Action == AccessAction.AddDocument, "an upload names its document");
        var entryIds = history.Items.Select(e => e.Id.ToString()).ToHashSet();
        foreach (var notification in await NotificationsAsync(guardian))
        {
            if (notification.GetProperty("kind").GetString()!.StartsWith("access.", StringComparison.Ordinal))
            {
                using var payload = JsonDocument.Parse(notification.GetProperty("payloadJson").GetString()!);
                entryIds.Should().Contain(payload.RootElement.GetProperty("entryId").GetString());
            }
        }

        var verification = (await guardian.GetFromJsonAsync<HistoryVerification>("/api/me/access-history/verify", Json.Options))!;
        verification.Intact.Should().BeTrue();
        verification.Entries.Should().Be(history.Total);
        var pdf = read["/api/me/access-history/pdf"];
        Regex.Matches(pdf, @"n° (\d+) -").Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .Should().BeEquivalentTo(history.Items.Select(e => e.Sequence));
    }

    /// <summary>Every GET under <c>/api/me</c> the OpenAPI document lists, but the guardian's own (children) and the holder's alone (mailbox, alerts...): those answer 403/400 and are read too.</summary>
    private async Task<IReadOnlyList<string>> GuardianReadablePathsAsync()
    {
        using var document = JsonDocument.Parse(await Client.GetStringAsync("/openapi/v1.json"));
        return [.. document.RootElement.GetProperty("paths").EnumerateObject()
            .Where(p => p.Name.StartsWith("/api/me", StringComparison.Ordinal) && p.Value.TryGetProperty("get", out _))
            .Select(p => p.Name)];
    }

    /// <summary>The URLs a path is read at: its parameters filled with a document the guardian sees, lists with every status, feeds and history whole.</summary>
    private static IEnumerable<string> Expand(string path, Guid visibleDocument)
    {
        var url = Regex.Replace(path.Replace("{id}", visibleDocument.ToString(), StringComparison.Ordinal), @"\{index\}", "0");
        url = Regex.Replace(url, @"\{[^}]+\}", Guid.NewGuid().ToString());
        return url switch
        {
            "/api/me/documents" => [url, url + "?status=Superseded", url + "?status=Deleted", url + "?limit=200"],
            "/api/me/notifications" => [url + "?limit=500"],
            "/api/me/access-history" => [url + "?limit=200", url + "?action=AddDocument", url + "?action=ReadDocument"],
            _ => [url],
        };
    }

    /// <summary>
    /// A response as text a person could read in it: JSON as is, the text of a PDF the platform
    /// <paramref name="generated"/> (a document's own content is taken as it is), a ZIP's entry
    /// names and contents.
    /// </summary>
    private static async Task<string> ReadableTextAsync(HttpResponseMessage response, bool generated)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync();
        switch (response.Content.Headers.ContentType?.MediaType)
        {
            case "application/pdf" when generated:
                return await PdfText.ExtractAsync(bytes);
            case "application/zip":
                var text = new StringBuilder();
                using (var zip = new ZipArchive(new MemoryStream(bytes)))
                {
                    foreach (var entry in zip.Entries)
                    {
                        text.AppendLine(entry.FullName);
                        using var reader = new StreamReader(entry.Open());
                        text.AppendLine(await reader.ReadToEndAsync());
                    }
                }

                return text.ToString();
            default:
                return Encoding.UTF8.GetString(bytes);
        }
    }

    private static async Task<string> TicketOfAsync(HttpClient client)
    {
        using var response = await client.PostAsync("/api/realtime/tickets", null);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticket").GetString()!;
    }

    /// <summary>Whatever an event stream sends until <paramref name="stop"/> is cancelled.</summary>
    private static async Task<string> ReadUntilAsync(Stream body, CancellationToken stop)
    {
        var text = new StringBuilder();
        using var reader = new StreamReader(body);
        try
        {
            while (await reader.ReadLineAsync(stop) is { } line)
            {
                text.AppendLine(line);
            }
        }
        catch (OperationCanceledException)
        {
            // Read for as long as the test acted.
        }

        return text.ToString();
    }
}
