using MonEspaceSante.Access;

namespace MonEspaceSante.Api.Care;

public sealed record EmergencyAccessBody(PatientSearch? Patient, string? Reason);
