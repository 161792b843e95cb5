namespace MonEspaceSante.Pdf;

/// <summary>The data printed on the certificate given to a person who opposed the creation of their space.</summary>
public sealed record OppositionProof(
    string FullName,
    DateOnly BirthDate,
    string Reference,
    DateTimeOffset OpposedAt);
