using Orleans;

namespace MonEspaceSante.Identity;

/// <summary>Who is calling a grain. Passed explicitly so access rules live in the grain.</summary>
[GenerateSerializer]
[Alias("mes.Caller")]
public sealed record Caller([property: Id(0)] CallerKind Kind, [property: Id(1)] string Id)
{
    /// <summary>
    /// For a professional acting through their software: the software client's name, kept in
    /// the access history and counted by the mass-access guard. Null for a professional's own token.
    /// </summary>
    [Id(2)]
    public string? Via { get; init; }

    /// <summary>The FINESS of the facility the software belongs to; it may act only for that facility's professionals.</summary>
    [Id(3)]
    public string? ViaFacility { get; init; }

    public static Caller Patient(Guid spaceId) => new(CallerKind.Patient, spaceId.ToString());

    /// <summary>
    /// A patient acting on a child's space they are a guardian of, named by their own space's id.
    /// The child's grain decides whether they are one (docs/children.md); nothing else trusts it.
    /// </summary>
    public static Caller Guardian(Guid guardianSpaceId) => new(CallerKind.Guardian, guardianSpaceId.ToString());

    /// <summary>The space's holder or one of a minor's guardians: the side that manages a space, as opposed to professionals.</summary>
    public bool IsHolderSide => Kind is CallerKind.Patient or CallerKind.Guardian;
    public static Caller Operator(string name) => new(CallerKind.Operator, name);

    /// <summary>Professionals' software (hospital, lab, practice systems), named by the deployment, acting for no one in particular.</summary>
    public static Caller Client(string name) => new(CallerKind.Client, name);

    /// <summary>A health professional, by RPPS; <paramref name="via"/> names the software acting for them, if any.</summary>
    public static Caller Professional(Rpps rpps, string? via = null, string? viaFacility = null) => new(CallerKind.Professional, rpps.Value) { Via = via, ViaFacility = viaFacility };

    public static readonly Caller System = new(CallerKind.System, "system");
    public static readonly Caller Anonymous = new(CallerKind.Anonymous, "anonymous");
}

[GenerateSerializer]
[Alias("mes.CallerKind")]
public enum CallerKind
{
    Anonymous,
    Patient,
    Operator,
    System,
    Client,
    Professional,

    /// <summary>A patient managing a minor's space as its guardian (appended: values are serialised).</summary>
    Guardian,
}
