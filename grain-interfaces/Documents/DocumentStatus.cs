using Orleans;

namespace MonEspaceSante.Documents;

[GenerateSerializer]
[Alias("mes.DocumentStatus")]
public enum DocumentStatus
{
    Current,

    /// <summary>Replaced by a newer version; kept in the history.</summary>
    Superseded,

    /// <summary>A professional's document the patient removed from their view; kept in the record.</summary>
    Deleted,
}

/// <summary>Who wrote a document.</summary>
[GenerateSerializer]
[Alias("mes.AuthorKind")]
public enum AuthorKind
{
    Patient,
    Professional,
    Facility,
}

/// <summary>HL7 confidentiality codes used by the DMP: normal, restricted, very restricted.</summary>
[GenerateSerializer]
[Alias("mes.Confidentiality")]
public enum Confidentiality
{
    N,
    R,
    V,
}

/// <summary>The formats the vault accepts, each recognised by its content.</summary>
[GenerateSerializer]
[Alias("mes.DocumentFormat")]
public enum DocumentFormat
{
    Pdf,
    Jpeg,
    Png,
    Text,
    CdaXml,
    FhirJson,
}
