using System.Text.Json;
using MonEspaceSante.Jobs;
using MonEspaceSante.Runtime;
using MonEspaceSante.Security;

namespace MonEspaceSante.Mail;

/// <summary>Turns an e-mail into a job whose payload is sealed: the queue may hold codes.</summary>
public sealed class MailQueue(Sealer sealer)
{
    public const string JobKind = "email";

    public JobRecord Job(EmailMessage message, DateTimeOffset now, string? id = null) =>
        new(id ?? Guid.NewGuid().ToString("N"), JobKind, sealer.Seal(JsonSerializer.Serialize(message, GrainJsonContext.Default.EmailMessage)), now);

    public EmailMessage Open(string payload) =>
        JsonSerializer.Deserialize(sealer.Unseal(payload), GrainJsonContext.Default.EmailMessage)
        ?? throw new InvalidOperationException("Empty e-mail payload.");
}
