using MonEspaceSante.Documents;

namespace MonEspaceSante.Api.Documents;

/// <summary>How professionals' software names the patient: the INS (NIR with its birth date).</summary>
public sealed record PatientReference(string? Nir, DateOnly? BirthDate);

/// <summary>The metadata part of an upload by professionals' software.</summary>
public sealed record ClientDocumentMetadata(PatientReference? Patient, DocumentDeclaration? Document);

public sealed record ClientReleaseBody(PatientReference? Patient);
