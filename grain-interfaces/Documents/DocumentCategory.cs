using Orleans;

namespace MonEspaceSante.Documents;

/// <summary>The two tabs of the record, as in Mon Espace Santé.</summary>
[GenerateSerializer]
[Alias("mes.DocumentTab")]
public enum DocumentTab
{
    Documents,
    Administrative,
}

/// <summary>Categories within the tabs; <see cref="DocumentCategories.TabOf"/> gives each one's tab.</summary>
[GenerateSerializer]
[Alias("mes.DocumentCategory")]
public enum DocumentCategory
{
    // Documents tab.
    Prescription,
    LabResult,
    Imaging,
    Hospitalisation,
    Vaccination,
    ConsultationReport,
    Other,

    // Administrative papers tab.
    IdentityDocument,
    BloodGroupCard,
    ComplementaryInsuranceCard,
    EuropeanHealthInsuranceCard,
    DisabilityCard,
}

public static class DocumentCategories
{
    public static DocumentTab TabOf(DocumentCategory category) =>
        category >= DocumentCategory.IdentityDocument ? DocumentTab.Administrative : DocumentTab.Documents;
}
