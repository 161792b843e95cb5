using MonEspaceSante.Identity;
using MonEspaceSante.Spaces;

namespace MonEspaceSante.Enrolment;

/// <summary>One insured person from an enrolment file, validated.</summary>
public sealed record EnrolmentRow(
    long Line,
    Nir Nir,
    string BirthName,
    string FirstNames,
    DateOnly BirthDate,
    Sex Sex,
    string? Email,
    string? PostalAddress,
    string VitaleSerial,
    VitaleCardType CardType,
    DateOnly NotificationDate);

/// <summary>A row of the file: either valid or rejected with its reason.</summary>
public readonly record struct ParsedRow(long Line, EnrolmentRow? Row, string? Rejection);
