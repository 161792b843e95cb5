using MonEspaceSante.Spaces;

namespace MonEspaceSante.Api.Children;

/// <summary>
/// A guardian's claim on a child's space: the child's NIR (their own, not the parent's they are
/// insured under), the Vitale card they are on, their birth date, and the statement of parental authority.
/// </summary>
public sealed record AttachChildBody(string? Nir, string? VitaleSerial, VitaleCardType? CardType, DateOnly? BirthDate, bool? ParentalAuthority);
