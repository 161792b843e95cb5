using MonEspaceSante.Documents;
using MonEspaceSante.Enrolment;
using MonEspaceSante.Identity;
using MonEspaceSante.Professionals;
using MonEspaceSante.Storage;

namespace MonEspaceSante.Spaces;

public sealed class GrainFactory(PatientSpaceServices spaces, DocumentServices documents, EnrolmentImports imports, IDatabase database) : IGrainFactory
{
    public IPatientSpaceGrain GetPatientSpace(Guid spaceId) => new PatientSpaceGrain(spaceId, spaces);

    public IPatientDocumentsGrain GetPatientDocuments(Guid spaceId) => new PatientDocumentsGrain(spaceId, documents);

    public IEnrolmentImportGrain GetEnrolmentImport(Guid importId) => new EnrolmentImportGrain(importId, imports);

    public IProfessionalGrain GetProfessional(Rpps rpps) => new ProfessionalGrain(rpps, database);
}
