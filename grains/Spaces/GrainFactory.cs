using MonEspaceSante.Documents;
using MonEspaceSante.Enrolment;

namespace MonEspaceSante.Spaces;

public sealed class GrainFactory(PatientSpaceServices spaces, DocumentServices documents, EnrolmentImports imports) : IGrainFactory
{
    public IPatientSpaceGrain GetPatientSpace(Guid spaceId) => new PatientSpaceGrain(spaceId, spaces);

    public IPatientDocumentsGrain GetPatientDocuments(Guid spaceId) => new PatientDocumentsGrain(spaceId, documents);

    public IEnrolmentImportGrain GetEnrolmentImport(Guid importId) => new EnrolmentImportGrain(importId, imports);
}
