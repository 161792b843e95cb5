using MonEspaceSante.Documents;

namespace MonEspaceSante.Access;

/// <summary>The patient's decision about one professional, stored in the space's state.</summary>
public sealed class GrantState
{
    public string Rpps { get; set; } = "";
    public GrantStatus Status { get; set; }

    /// <summary>Null: the profession's default categories, as they are at the time of each access.</summary>
    public List<DocumentCategory>? Categories { get; set; }
    public DateTimeOffset DecidedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }

    // A snapshot for the patient's list, so showing it needs no directory reads.
    public string Name { get; set; } = "";
    public string ProfessionCode { get; set; } = "";
    public string Profession { get; set; } = "";
}

/// <summary>A break-glass access in force.</summary>
public sealed class EmergencyState
{
    public string Rpps { get; set; } = "";
    public string Name { get; set; } = "";
    public DateTimeOffset OpenedAt { get; set; }
    public DateTimeOffset Until { get; set; }
    public string Reason { get; set; } = "";
}
