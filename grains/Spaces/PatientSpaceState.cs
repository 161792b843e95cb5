using System.Text.Json.Serialization;

namespace MonEspaceSante.Spaces;

/// <summary>
/// The persisted state of a patient space (one JSON row). Secrets are stored only as keyed
/// hashes (activation code, one-time codes, proof token) or with ASP.NET Core Identity's
/// password hasher. Counters are left out of the JSON while they are zero: a missing counter
/// reads back as zero, and tens of millions of enrolled spaces that never counted anything
/// are written and stored with fewer bytes.
/// </summary>
public sealed class PatientSpaceState
{
    public Guid SpaceId { get; set; }
    public SpaceStatus Status { get; set; }

    // Identity from the insurer's enrolment file (INS traits).
    public string Nir { get; set; } = "";
    public string BirthName { get; set; } = "";
    public string FirstNames { get; set; } = "";
    public DateOnly BirthDate { get; set; }
    public Sex Sex { get; set; }
    public string? InsurerEmail { get; set; }
    public string? PostalAddress { get; set; }
    public string VitaleSerial { get; set; } = "";
    public VitaleCardType VitaleCardType { get; set; }
    public DateOnly NotificationDate { get; set; }
    public Guid? ImportId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    // The provisional activation code.
    public string? CodeHash { get; set; }
    public DateTimeOffset? CodeExpiresAt { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int CodeGeneration { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int FailedCodeAttempts { get; set; }
    public DateTimeOffset? CodeAttemptsLockedUntil { get; set; }

    // Activation.
    public DateTimeOffset? ActivatedAt { get; set; }
    public ActivationMode? ActivationMode { get; set; }
    public string? Email { get; set; }
    public string? PasswordHash { get; set; }

    // Opposition.
    public string? OppositionReference { get; set; }
    public DateTimeOffset? OpposedAt { get; set; }
    public string? ProofTokenHash { get; set; }

    // Login and its second factor.
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int FailedLogins { get; set; }
    public DateTimeOffset? LockedOutUntil { get; set; }
    public Guid? ChallengeId { get; set; }
    public string? ChallengeCodeHash { get; set; }
    public DateTimeOffset? ChallengeExpiresAt { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int ChallengeAttempts { get; set; }

    // Devices that logged in before (keyed hashes of their device tokens, most recent last).
    public List<string>? KnownDevices { get; set; }

    // A pending change of the login e-mail, confirmed by a code sent to the new address.
    public string? PendingEmail { get; set; }
    public Guid? EmailChallengeId { get; set; }
    public string? EmailChallengeCodeHash { get; set; }
    public DateTimeOffset? EmailChallengeExpiresAt { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int EmailChallengeAttempts { get; set; }

    // E-mail alerts the patient turned off (security alerts cannot be).
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool MessageAlertsOff { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool DocumentAlertsOff { get; set; }

    // Envelope encryption: this space's data key, wrapped by the master key (never stored bare).
    public string? DataKey { get; set; }

    // Professionals' access, decided by the patient (rules: docs/access.md).
    public List<MonEspaceSante.Access.GrantState>? Grants { get; set; }
    public string? TreatingDoctor { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool EmergencyOptOut { get; set; }
    public List<MonEspaceSante.Access.EmergencyState>? Emergencies { get; set; }

    // Children's spaces (docs/children.md). On a minor's space: its guardians, and when the
    // space passed to its holder at 18; on a guardian's space: the children they attached.
    public List<GuardianState>? Guardians { get; set; }
    public DateTimeOffset? GuardianshipEndedAt { get; set; }
    public List<ChildLinkState>? Children { get; set; }

    // Closure.
    public DateTimeOffset? ClosedAt { get; set; }
    public DateTimeOffset? ArchivedUntil { get; set; }
}
