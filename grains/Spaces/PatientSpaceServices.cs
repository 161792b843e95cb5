using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using MonEspaceSante.Mail;
using MonEspaceSante.Runtime;
using MonEspaceSante.Security;

namespace MonEspaceSante.Spaces;

/// <summary>What every patient space grain needs; one instance per silo, shared by all references.</summary>
public sealed class PatientSpaceServices(
    GrainRuntime runtime,
    KeyRing keys,
    SpaceDirectory directory,
    MailQueue mail,
    ActivationNotices notices,
    IPasswordHasher<PatientSpaceState> passwords,
    IOptions<SpaceOptions> options)
{
    public GrainRuntime Runtime => runtime;
    public KeyRing Keys => keys;
    public SpaceDirectory Directory => directory;
    public MailQueue Mail => mail;
    public ActivationNotices Notices => notices;
    public IPasswordHasher<PatientSpaceState> Passwords => passwords;
    public IOptions<SpaceOptions> Options => options;
}
