using MonEspaceSante.Runtime;

namespace MonEspaceSante.Access;

/// <summary>What every access grain reference needs; one instance per silo.</summary>
public sealed class AccessServices(GrainRuntime runtime, AccessGate gate)
{
    public GrainRuntime Runtime => runtime;
    public AccessGate Gate => gate;
    public AccessOptions Options => gate.Options;
}
