using MonEspaceSante.Documents;
using MonEspaceSante.Identity;

namespace MonEspaceSante.Access;

/// <summary>
/// Answers for a NIR the directory does not know, as a patient space that refuses would: the
/// same validation, the same not-found (or too-many-patients), the look-up counted by the
/// mass-access guard. A few of these grains serve every unknown NIR, so a guess costs no
/// patient space activation and writes no row but the guard's counter. Reached only through
/// the platform's look-up by INS, never by an id a caller chose.
/// </summary>
[Alias("mes.IUnknownPatientGrain")]
public interface IUnknownPatientGrain : IGrainWithIntegerKey
{
    Task<PatientMatch> FindAsync(Caller caller, Nir nir, PatientSearch search);

    Task<PatientMatch> OpenEmergencyAccessAsync(Caller caller, Nir nir, PatientSearch search, string reason);

    /// <summary>Never grants: validates the upload as a space does, then refuses it.</summary>
    Task<UploadPermit> PrepareUploadAsync(Caller caller, Nir nir, DocumentDeclaration declaration, string? idempotencyKey, long? declaredLength);

    Task<DocumentInfo> ReleaseAsync(Caller caller, Nir nir, Guid documentId);
}
