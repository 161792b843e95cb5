namespace MonEspaceSante.Enrolment;

/// <summary>
/// A space ready to be written by the bulk path: its grain row and its NIR directory entry. The
/// state is kept as UTF-8 JSON, the form PostgreSQL receives: half the memory of a string for
/// the batches waiting in the pipeline, and no transcoding when it is sent.
/// </summary>
public sealed record NewSpaceRow(string SpaceId, string NirKey, long Line, byte[] StateUtf8, string Status, long DueAtMs, long NowMs);
