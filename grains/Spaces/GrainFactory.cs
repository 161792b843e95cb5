using MonEspaceSante.Messaging;
using MonEspaceSante.Access;
using MonEspaceSante.Documents;
using MonEspaceSante.Enrolment;
using MonEspaceSante.Identity;
using MonEspaceSante.Professionals;
using MonEspaceSante.Storage;

namespace MonEspaceSante.Spaces;

public sealed class GrainFactory(PatientSpaceServices spaces, DocumentServices documents, AccessServices access, MessagingServices messaging, EnrolmentImports imports, IDatabase database) : IGrainReferences
{
    public IPatientSpaceGrain GetPatientSpace(Guid spaceId) => new PatientSpaceGrain(spaceId, spaces);

    public IPatientDocumentsGrain GetPatientDocuments(Guid spaceId) => new PatientDocumentsGrain(spaceId, documents);

    public IPatientAccessGrain GetPatientAccess(Guid spaceId) => new PatientAccessGrain(spaceId, access);

    public IMailboxGrain GetPatientMailbox(Guid spaceId) => new MailboxGrain(MailboxKind.Patient, spaceId.ToString(), messaging);

    public IMailboxGrain GetProfessionalMailbox(Rpps rpps) => new MailboxGrain(MailboxKind.Professional, rpps.Value, messaging);

    public IEnrolmentImportGrain GetEnrolmentImport(Guid importId) => new EnrolmentImportGrain(importId, imports);

    public IProfessionalGrain GetProfessional(Rpps rpps) => new ProfessionalGrain(rpps, database);
}
