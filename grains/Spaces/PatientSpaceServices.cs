using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using MonEspaceSante.Mail;
using MonEspaceSante.Storage;
using MonEspaceSante.Security;

namespace MonEspaceSante.Spaces;

/// <summary>What every patient space grain needs; one instance per silo, shared by all references.</summary>
public sealed class PatientSpaceServices(
    IDatabase database,
    KeyRing keys,
    SpaceDirectory directory,
    MailQueue mail,
    ActivationNotices notices,
    IPasswordHasher<PatientSpaceState> passwords,
    IOptions<SpaceOptions> options)
{
    public DatabaseProvider Provider => database.Provider;
    public KeyRing Keys => keys;
    public SpaceDirectory Directory => directory;
    public MailQueue Mail => mail;
    public ActivationNotices Notices => notices;
    public IPasswordHasher<PatientSpaceState> Passwords => passwords;
    public IOptions<SpaceOptions> Options => options;
}
