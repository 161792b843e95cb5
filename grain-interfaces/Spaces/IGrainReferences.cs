using MonEspaceSante.Enrolment;

namespace MonEspaceSante.Spaces;

/// <summary>Gives a reference to a grain by id. References are cheap; state is read per call.</summary>
public interface IGrainReferences
{
    IPatientSpaceGrain GetPatientSpace(Guid spaceId);

    Documents.IPatientDocumentsGrain GetPatientDocuments(Guid spaceId);

    Access.IPatientAccessGrain GetPatientAccess(Guid spaceId);

    /// <summary>The mailbox of the patient space, or of the professional, the caller names.</summary>
    Messaging.IMailboxGrain GetPatientMailbox(Guid spaceId);

    Messaging.IMailboxGrain GetProfessionalMailbox(MonEspaceSante.Identity.Rpps rpps);

    IEnrolmentImportGrain GetEnrolmentImport(Guid importId);

    Professionals.IProfessionalGrain GetProfessional(Identity.Rpps rpps);
}
