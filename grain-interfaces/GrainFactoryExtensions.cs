using MonEspaceSante.Access;
using MonEspaceSante.Documents;
using MonEspaceSante.Enrolment;
using MonEspaceSante.HealthProfiles;
using MonEspaceSante.Identity;
using MonEspaceSante.Messaging;
using MonEspaceSante.Professionals;
using MonEspaceSante.Spaces;

namespace MonEspaceSante;

/// <summary>The platform's grains by what identifies them, so callers never spell a grain key.</summary>
public static class GrainFactoryExtensions
{
    public static IPatientSpaceGrain GetPatientSpace(this IGrainFactory grains, Guid spaceId) => Factory(grains).GetGrain<IPatientSpaceGrain>(spaceId);

    public static IPatientDocumentsGrain GetPatientDocuments(this IGrainFactory grains, Guid spaceId) => Factory(grains).GetGrain<IPatientDocumentsGrain>(spaceId);

    public static IPatientAccessGrain GetPatientAccess(this IGrainFactory grains, Guid spaceId) => Factory(grains).GetGrain<IPatientAccessGrain>(spaceId);

    /// <summary>The health profile of the patient space.</summary>
    public static IHealthProfileGrain GetHealthProfile(this IGrainFactory grains, Guid spaceId) => Factory(grains).GetGrain<IHealthProfileGrain>(spaceId);

    /// <summary>The mailbox of the patient space.</summary>
    public static IMailboxGrain GetPatientMailbox(this IGrainFactory grains, Guid spaceId) =>
        Factory(grains).GetGrain<IMailboxGrain>(MailboxIds.Of(MailboxKind.Patient, spaceId.ToString()));

    public static IMailboxGrain GetProfessionalMailbox(this IGrainFactory grains, Rpps rpps) =>
        Factory(grains).GetGrain<IMailboxGrain>(MailboxIds.Of(MailboxKind.Professional, rpps.Value));

    public static IEnrolmentImportGrain GetEnrolmentImport(this IGrainFactory grains, Guid importId) => Factory(grains).GetGrain<IEnrolmentImportGrain>(importId);

    public static IProfessionalGrain GetProfessional(this IGrainFactory grains, Rpps rpps) => Factory(grains).GetGrain<IProfessionalGrain>(rpps.Value);

    private static IGrainFactory Factory(IGrainFactory grains) => grains ?? throw new ArgumentNullException(nameof(grains));
}
