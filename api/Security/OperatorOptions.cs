namespace MonEspaceSante.Api.Security;

/// <summary>
/// Operators are configured by the deployment (section <c>Operators</c>): each has a name and
/// the SHA-256 (hex) of its API key, so the configuration never holds the key itself.
/// </summary>
public sealed class OperatorOptions
{
    public List<OperatorKey> Keys { get; } = [];
}

/// <summary>
/// Professionals' software (section <c>Clients</c>): hospital, lab and practice systems, each
/// with a name and the SHA-256 of its API key, like operators.
/// </summary>
public sealed class ClientOptions
{
    public List<ClientKey> Keys { get; } = [];
}

public sealed class OperatorKey
{
    public string Name { get; set; } = "";
    public string Sha256 { get; set; } = "";
}

public sealed class ClientKey
{
    public string Name { get; set; } = "";
    public string Sha256 { get; set; } = "";

    /// <summary>The FINESS of the facility the software belongs to, if the deployment knows it.</summary>
    public string? Finess { get; set; }
}
