using Orleans;

namespace MonEspaceSante.Spaces;

/// <summary>The life of a patient space: Created (code sent) → Active or Opposed → Closed → purged (row removed).</summary>
[GenerateSerializer]
[Alias("mes.SpaceStatus")]
public enum SpaceStatus
{
    Created,
    Active,
    Opposed,
    Closed,
}

[GenerateSerializer]
[Alias("mes.Sex")]
public enum Sex
{
    Male,
    Female,
}

[GenerateSerializer]
[Alias("mes.VitaleCardType")]
public enum VitaleCardType
{
    /// <summary>Carte Vitale 1 (no photo).</summary>
    WithoutPhoto,
    /// <summary>Carte Vitale 2 (with photo).</summary>
    WithPhoto,
}

[GenerateSerializer]
[Alias("mes.ActivationMode")]
public enum ActivationMode
{
    ByPatient,
    Automatic,

    /// <summary>A minor's space, activated when a guardian attached it (appended: values are serialised).</summary>
    ByGuardian,
}
