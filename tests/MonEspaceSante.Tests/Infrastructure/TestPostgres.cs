using Npgsql;

namespace MonEspaceSante.Tests.Infrastructure;

/// <summary>
/// A fresh PostgreSQL database for one test class, on the server started by tests/run.sh
/// (MES_TEST_PG). Tests fail, not skip, without it: they exist to run against the real thing.
/// </summary>
public sealed class TestPostgres : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";

    public string DatabaseName { get; } = "mes_" + Guid.NewGuid().ToString("N")[..16];

    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable("MES_TEST_PG")
        ?? throw new InvalidOperationException("MES_TEST_PG is not set: run the tests with tests/run.sh, which starts PostgreSQL.");

    public async Task InitializeAsync()
    {
        await using (var admin = new NpgsqlConnection(AdminConnectionString))
        {
            await admin.OpenAsync();
            await using var command = new NpgsqlCommand($"create database {DatabaseName}", admin);
            await command.ExecuteNonQueryAsync();
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = DatabaseName }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(AdminConnectionString);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand($"drop database if exists {DatabaseName} with (force)", admin);
        await command.ExecuteNonQueryAsync();
    }
}
