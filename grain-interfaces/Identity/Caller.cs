namespace MonEspaceSante.Identity;

/// <summary>Who is calling a grain. Passed explicitly so access rules live in the grain.</summary>
public sealed record Caller(CallerKind Kind, string Id)
{
    public static Caller Patient(Guid spaceId) => new(CallerKind.Patient, spaceId.ToString());
    public static Caller Operator(string name) => new(CallerKind.Operator, name);

    /// <summary>Professionals' software (hospital, lab, practice systems), named by the deployment.</summary>
    public static Caller Client(string name) => new(CallerKind.Client, name);
    public static readonly Caller System = new(CallerKind.System, "system");
    public static readonly Caller Anonymous = new(CallerKind.Anonymous, "anonymous");
}

public enum CallerKind
{
    Anonymous,
    Patient,
    Operator,
    System,
    Client,
}
