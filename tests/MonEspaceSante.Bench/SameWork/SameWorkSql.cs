using Npgsql;

namespace MonEspaceSante.Bench.SameWork;

internal static class SameWorkSql
{
    /// <summary>A statement with positional parameters, for a batch: several statements in one round trip.</summary>
    public static NpgsqlBatchCommand Command(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }
}
