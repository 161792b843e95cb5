namespace MonEspaceSante.Spaces;

/// <summary>On a minor's space: one of its guardians (at most two), by their own space.</summary>
public sealed class GuardianState
{
    public Guid SpaceId { get; set; }
    public string Name { get; set; } = "";
    public DateTimeOffset AttachedAt { get; set; }
}

/// <summary>On a guardian's space: a child's space they attached, so they can list it without asking every child.</summary>
public sealed class ChildLinkState
{
    public Guid SpaceId { get; set; }
    public string FirstNames { get; set; } = "";
    public string BirthName { get; set; } = "";
    public DateOnly BirthDate { get; set; }
    public DateTimeOffset AttachedAt { get; set; }
}
