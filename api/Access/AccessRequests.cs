namespace MonEspaceSante.Api.Access;

public sealed record ExtendBody(int Days);

public sealed record TreatingDoctorBody(string? Rpps);

public sealed record EmergencyOptOutBody(bool OptOut);
