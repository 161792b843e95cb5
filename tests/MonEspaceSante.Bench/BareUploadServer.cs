using System.Buffers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using Npgsql;

namespace MonEspaceSante.Bench;

/// <summary>
/// The thinnest honest server for an upload, the physical floor the upload benchmarks compare
/// the product against: a second ASP.NET Core app in the benchmark's process (Kestrel on
/// loopback, one minimal-API route at the product's path, so the same client code calls it)
/// that streams the same multipart request, writes the file part's bytes to a new file in a
/// folder, inserts one row with Npgsql into a plain table and answers 201 with the new id.
/// It authenticates nothing, checks nothing, encrypts and hashes nothing and calls no grain:
/// whatever the product takes beyond it is the cost of the design, not of HTTP, disk or
/// PostgreSQL, which both pay alike on the same machine in the same run.
/// </summary>
internal sealed class BareUploadServer : IAsyncDisposable
{
    private const int ChunkSize = 64 * 1024;

    private readonly WebApplication app;

    private BareUploadServer(WebApplication app, Uri url)
    {
        this.app = app;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>Creates the plain table <c>bare_uploads</c> and starts the server on a free loopback port.</summary>
    public static async Task<BareUploadServer> StartAsync(string route, NpgsqlDataSource dataSource, string folder)
    {
        await using (var create = dataSource.CreateCommand(
            "create table bare_uploads (id uuid primary key, fields text not null, file_name text, size bigint not null, path text not null, received_at_ms bigint not null)"))
        {
            await create.ExecuteNonQueryAsync();
        }

        // The slim builder: Kestrel and routing without the defaults a product host adds.
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost(route, (HttpRequest request, CancellationToken cancellationToken) => ReceiveAsync(request, route, dataSource, folder, cancellationToken));
        await app.StartAsync();
        return new BareUploadServer(app, new Uri(app.Urls.First()));
    }

    /// <summary>Fails unless the server stored <paramref name="count"/> uploads of <paramref name="size"/> bytes each: a floor that skipped work would flatter nothing but itself.</summary>
    public static async Task VerifyAsync(NpgsqlDataSource dataSource, long count, long size)
    {
        await using var command = dataSource.CreateCommand("select count(*), count(*) filter (where size = $1) from bare_uploads");
        command.Parameters.AddWithValue(size);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        if (reader.GetInt64(0) != count || reader.GetInt64(1) != count)
        {
            throw new InvalidOperationException($"the bare server stored {reader.GetInt64(0)} uploads, {reader.GetInt64(1)} of {size} bytes, for {count} sent");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private static async Task<IResult> ReceiveAsync(HttpRequest request, string route, NpgsqlDataSource dataSource, string folder, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is not { Length: > 0 } boundary)
        {
            return Results.BadRequest();
        }

        var id = Guid.NewGuid();
        string? fields = null;
        string? fileName = null;
        string? path = null;
        long size = 0;
        var reader = new MultipartReader(boundary, request.Body);
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            var disposition = section.GetContentDispositionHeader();
            if (disposition is null)
            {
                return Results.BadRequest();
            }

            if (!disposition.IsFileDisposition())
            {
                // Stored as sent: validating the metadata is the product's work, not the floor's.
                using var text = new StreamReader(section.Body);
                fields = await text.ReadToEndAsync(cancellationToken);
                continue;
            }

            if (path is not null)
            {
                return Results.BadRequest();
            }

            fileName = disposition.FileName.Value;
            path = Path.Combine(folder, id.ToString("N"));
            size = await WriteFileAsync(section.Body, path, cancellationToken);
        }

        if (fields is null || path is null)
        {
            return Results.BadRequest();
        }

        await using var insert = dataSource.CreateCommand(
            "insert into bare_uploads (id, fields, file_name, size, path, received_at_ms) values ($1, $2, $3, $4, $5, $6)");
        insert.Parameters.AddWithValue(id);
        insert.Parameters.AddWithValue(fields);
        insert.Parameters.AddWithValue((object?)fileName ?? DBNull.Value);
        insert.Parameters.AddWithValue(size);
        insert.Parameters.AddWithValue(path);
        insert.Parameters.AddWithValue(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await insert.ExecuteNonQueryAsync(cancellationToken);
        return TypedResults.Created($"{route}/{id}", new BareCreated(id));
    }

    /// <summary>
    /// Reads the part from the socket asynchronously and writes each chunk synchronously, as the
    /// product's file-system store does: on Linux an "asynchronous" file write is a blocking
    /// write on a pool thread, one hop per chunk, which would put a cost on this side that the
    /// product does not pay.
    /// </summary>
    private static async Task<long> WriteFileAsync(Stream body, string path, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0);
            long size = 0;
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(0, ChunkSize), cancellationToken)) > 0)
            {
                file.Write(buffer, 0, read);
                size += read;
            }

            return size;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private sealed record BareCreated(Guid Id);
}
