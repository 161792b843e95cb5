namespace MonEspaceSante.Storage;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Bound from the <c>Storage</c> configuration section.</summary>
public sealed class StorageOptions
{
    /// <summary>PostgreSQL when a connection string is given; otherwise the embedded SQLite default.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Npgsql connection string (Postgres provider).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Folder for the embedded default's database file, key file, letters and uploads.</summary>
    public string DataPath { get; set; } = "data";
}
