namespace MonEspaceSante.Enrolment;

/// <summary>A space ready to be written by the bulk path: its grain row and its NIR directory entry.</summary>
public sealed record NewSpaceRow(string SpaceId, string NirKey, long Line, string StateJson, string Status, long DueAtMs, long NowMs);
