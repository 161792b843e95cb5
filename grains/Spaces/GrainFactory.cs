using MonEspaceSante.Access;
using MonEspaceSante.Documents;
using MonEspaceSante.Enrolment;

namespace MonEspaceSante.Spaces;

public sealed class GrainFactory(PatientSpaceServices spaces, DocumentServices documents, AccessServices access, EnrolmentImports imports) : IGrainFactory
{
    public IPatientSpaceGrain GetPatientSpace(Guid spaceId) => new PatientSpaceGrain(spaceId, spaces);

    public IPatientDocumentsGrain GetPatientDocuments(Guid spaceId) => new PatientDocumentsGrain(spaceId, documents);

    public IPatientAccessGrain GetPatientAccess(Guid spaceId) => new PatientAccessGrain(spaceId, access);

    public IEnrolmentImportGrain GetEnrolmentImport(Guid importId) => new EnrolmentImportGrain(importId, imports);
}
