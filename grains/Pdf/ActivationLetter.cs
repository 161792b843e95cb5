namespace MonEspaceSante.Pdf;

/// <summary>The data printed on the postal letter that carries a provisional activation code.</summary>
/// <param name="PostalAddress">Address lines separated by '\n'.</param>
public sealed record ActivationLetter(
    string FullName,
    string PostalAddress,
    string ActivationCode,
    DateOnly NotificationDate,
    DateOnly ValidUntil,
    string Reference);
