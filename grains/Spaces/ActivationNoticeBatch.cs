namespace MonEspaceSante.Spaces;

/// <summary>
/// Codes to deliver (by e-mail or letter) for spaces created or re-issued together. Sealed in
/// the job queue and erased once delivered; the spaces themselves keep only the codes' hashes.
/// </summary>
public sealed record ActivationNoticeBatch(IReadOnlyList<ActivationNotice> Notices);

public sealed record ActivationNotice(Guid SpaceId, string Code, int CodeGeneration);
