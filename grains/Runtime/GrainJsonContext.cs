using System.Text.Json.Serialization;
using MonEspaceSante.Mail;
using MonEspaceSante.Spaces;

namespace MonEspaceSante.Runtime;

/// <summary>Source-generated JSON for grain state and queued payloads (no reflection at run time).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PatientSpaceState))]
[JsonSerializable(typeof(EmailMessage))]
[JsonSerializable(typeof(ActivationNoticeBatch))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(MonEspaceSante.Documents.DocumentDeclaration))]
[JsonSerializable(typeof(MonEspaceSante.Messaging.MailboxState))]
[JsonSerializable(typeof(List<MonEspaceSante.Messaging.StoredAttachment>))]
[JsonSerializable(typeof(MonEspaceSante.HealthProfiles.HealthProfileState))]
public sealed partial class GrainJsonContext : JsonSerializerContext;
