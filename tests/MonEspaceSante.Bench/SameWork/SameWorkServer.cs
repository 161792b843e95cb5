using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MonEspaceSante.Bench.SameWork;

/// <summary>
/// The thinnest server doing the work the platform's rules require of an upload and of a send,
/// the floor the documents and messaging benchmarks compare the platform against beside the
/// bare server: a minimal ASP.NET Core app in the benchmark's process (Kestrel on loopback, the
/// platform's two routes, so the same client code sends it the same bytes) that encrypts and
/// hashes the content, stores it, and writes the rows the rules call for in one PostgreSQL
/// transaction with plain Npgsql. No Orleans, no Dapper, nothing of the platform's projects:
/// what the platform takes beyond it is the cost of its design, not of the work.
/// </summary>
internal sealed class SameWorkServer : IAsyncDisposable
{
    public const string DocumentsRoute = "/api/clients/documents";
    public const string MessagesRoute = "/api/pro/mailbox/messages";

    private readonly WebApplication app;

    private SameWorkServer(WebApplication app, SameWorkKeys keys, SameWorkContent content)
    {
        this.app = app;
        Keys = keys;
        Content = content;
        Url = new Uri(app.Urls.First());
    }

    public Uri Url { get; }

    public SameWorkKeys Keys { get; }

    public SameWorkContent Content { get; }

    /// <summary>Creates the server's tables and starts it on a free loopback port; content goes under <paramref name="folder"/>.</summary>
    public static async Task<SameWorkServer> StartAsync(NpgsqlDataSource dataSource, string folder)
    {
        await SameWorkSchema.CreateAsync(dataSource);
        var keys = new SameWorkKeys();
        var content = new SameWorkContent(folder);
        // The slim builder: Kestrel and routing without the defaults a product host adds.
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var documents = new SameWorkDocuments(dataSource, keys, content);
        var messages = new SameWorkMessages(dataSource, keys, content);
        app.MapPost(DocumentsRoute, (HttpRequest request, CancellationToken cancellationToken) => documents.UploadAsync(request, cancellationToken));
        app.MapPost(MessagesRoute, (HttpRequest request, CancellationToken cancellationToken) => messages.SendAsync(request, cancellationToken));
        await app.StartAsync();
        return new SameWorkServer(app, keys, content);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
