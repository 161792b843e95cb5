using MonEspaceSante.Enrolment;

namespace MonEspaceSante.Spaces;

public sealed class GrainFactory(PatientSpaceServices spaces, EnrolmentImports imports) : IGrainFactory
{
    public IPatientSpaceGrain GetPatientSpace(Guid spaceId) => new PatientSpaceGrain(spaceId, spaces);

    public IEnrolmentImportGrain GetEnrolmentImport(Guid importId) => new EnrolmentImportGrain(importId, imports);
}
