using MonEspaceSante.Messaging;
using MonEspaceSante.Access;
using MonEspaceSante.Documents;
using MonEspaceSante.Enrolment;
using MonEspaceSante.Identity;
using MonEspaceSante.Professionals;
using Microsoft.Extensions.DependencyInjection;

namespace MonEspaceSante.Spaces;

public sealed class GrainFactory(PatientSpaceServices spaces, DocumentServices documents, AccessServices access, MessagingServices messaging, IServiceProvider services) : IGrainReferences
{
    public IPatientSpaceGrain GetPatientSpace(Guid spaceId) => new PatientSpaceGrain(spaceId, spaces);

    public IPatientDocumentsGrain GetPatientDocuments(Guid spaceId) => new PatientDocumentsGrain(spaceId, documents);

    public IPatientAccessGrain GetPatientAccess(Guid spaceId) => new PatientAccessGrain(spaceId, access);

    public IMailboxGrain GetPatientMailbox(Guid spaceId) => new MailboxGrain(MailboxKind.Patient, spaceId.ToString(), messaging);

    public IMailboxGrain GetProfessionalMailbox(Rpps rpps) => new MailboxGrain(MailboxKind.Professional, rpps.Value, messaging);

    // Grains already on Orleans: resolved when first asked for, since hosts without a silo
    // (the enrolment benchmark) build this factory too.
    public IEnrolmentImportGrain GetEnrolmentImport(Guid importId) => Orleans.GetGrain<IEnrolmentImportGrain>(importId);

    public IProfessionalGrain GetProfessional(Rpps rpps) => Orleans.GetGrain<IProfessionalGrain>(rpps.Value);

    private Orleans.IGrainFactory Orleans => services.GetRequiredService<Orleans.IGrainFactory>();
}
