using MonEspaceSante.Api;
using MonEspaceSante.Hosting;

var builder = WebApplication.CreateBuilder(args);

// With nothing configured, listen on loopback only.
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:5080");
}

builder.AddMonEspaceSanteSilo();
builder.Services.AddMonEspaceSanteApi(builder.Configuration);

var app = builder.Build();
app.UseMonEspaceSanteApi();
app.MapMonEspaceSanteApi();

app.Lifetime.ApplicationStarted.Register(() =>
{
    var storage = string.IsNullOrEmpty(app.Configuration["Storage:ConnectionString"]) ? "embedded SQLite in " + Path.GetFullPath(app.Configuration["Storage:DataPath"] ?? "data") : "PostgreSQL";
    foreach (var url in app.Urls)
    {
        Console.WriteLine($"MonEspaceSante silo listening on {url} (storage: {storage}); health at {url}/health, OpenAPI at {url}/openapi/v1.json");
    }
});

app.Run();

/// <summary>Entry point; public so integration tests can host the silo in process.</summary>
public partial class Program;
