using Npgsql;

namespace MonEspaceSante.Bench;

internal static class BenchDatabase
{
    /// <summary>The facility of the benchmarks' software and professionals (software acts only for its own facility's).</summary>
    public const string Finess = "750000001";

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
