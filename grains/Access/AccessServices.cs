namespace MonEspaceSante.Access;

/// <summary>What the access side of every patient space needs; one instance per silo.</summary>
public sealed class AccessServices(AccessGate gate)
{
    public AccessGate Gate => gate;
    public AccessOptions Options => gate.Options;
}
