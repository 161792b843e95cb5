using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Notifications;

/// <summary>Without <c>Mail:SmtpHost</c>, mail goes to the pickup folder as whole .eml files.</summary>
public sealed class MailPickupFolderTests : SpaceTestBase
{
    [Fact]
    public async Task Each_mail_is_a_complete_eml_file_with_its_envelope_a_date_and_a_message_id()
    {
        var person = NewPerson();
        await EnrolAsync(person);

        var folder = Path.Combine(DataPath, "mail");
        var file = Directory.GetFiles(folder).Should().ContainSingle("a mail is written under a temporary name and renamed once whole").Subject;
        Path.GetExtension(file).Should().Be(".eml");
        var text = await File.ReadAllTextAsync(file);
        var headers = text[..text.IndexOf("\r\n\r\n", StringComparison.Ordinal)].Split("\r\n");
        headers.Should().Contain("X-Sender: ne-pas-repondre@monespacesante.example");
        headers.Should().Contain($"X-Receiver: {person.Email}");
        headers.Should().ContainSingle(h => h.StartsWith("Date: ", StringComparison.OrdinalIgnoreCase));
        headers.Should().ContainSingle(h => h.StartsWith("Message-ID: <", StringComparison.OrdinalIgnoreCase) && h.EndsWith("@monespacesante.example>", StringComparison.Ordinal));

        var mail = MailPickup.To(DataPath, person.Email!).Should().ContainSingle().Subject;
        mail.Subject.Should().Be("Votre code d'activation Mon Espace Santé");
        mail.Body.Should().Contain("Ce code est valable jusqu'au");
    }
}
