namespace MonEspaceSante.Spaces;

/// <summary>The life of a patient space: Created (code sent) → Active or Opposed → Closed → purged (row removed).</summary>
public enum SpaceStatus
{
    Created,
    Active,
    Opposed,
    Closed,
}

public enum Sex
{
    Male,
    Female,
}

public enum VitaleCardType
{
    /// <summary>Carte Vitale 1 (no photo).</summary>
    WithoutPhoto,
    /// <summary>Carte Vitale 2 (with photo).</summary>
    WithPhoto,
}

public enum ActivationMode
{
    ByPatient,
    Automatic,
}
