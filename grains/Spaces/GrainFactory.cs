using MonEspaceSante.Messaging;
using MonEspaceSante.Access;
using MonEspaceSante.Documents;
using MonEspaceSante.Enrolment;
using MonEspaceSante.Identity;
using MonEspaceSante.Professionals;
using Microsoft.Extensions.DependencyInjection;

namespace MonEspaceSante.Spaces;

public sealed class GrainFactory(MessagingServices messaging, IServiceProvider services) : IGrainReferences
{
    public IPatientSpaceGrain GetPatientSpace(Guid spaceId) => Orleans.GetGrain<IPatientSpaceGrain>(spaceId);

    public IPatientDocumentsGrain GetPatientDocuments(Guid spaceId) => Orleans.GetGrain<IPatientDocumentsGrain>(spaceId);

    public IPatientAccessGrain GetPatientAccess(Guid spaceId) => Orleans.GetGrain<IPatientAccessGrain>(spaceId);

    public IMailboxGrain GetPatientMailbox(Guid spaceId) => new MailboxGrain(MailboxKind.Patient, spaceId.ToString(), messaging);

    public IMailboxGrain GetProfessionalMailbox(Rpps rpps) => new MailboxGrain(MailboxKind.Professional, rpps.Value, messaging);

    // Grains already on Orleans: resolved when first asked for, since hosts without a silo
    // (the enrolment benchmark) build this factory too.
    public IEnrolmentImportGrain GetEnrolmentImport(Guid importId) => Orleans.GetGrain<IEnrolmentImportGrain>(importId);

    public IProfessionalGrain GetProfessional(Rpps rpps) => Orleans.GetGrain<IProfessionalGrain>(rpps.Value);

    private Orleans.IGrainFactory Orleans => services.GetRequiredService<Orleans.IGrainFactory>();
}
