using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MonEspaceSante.Identity;
using MonEspaceSante.Letters;
using MonEspaceSante.Pdf;
using MonEspaceSante.Spaces;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Lifecycle;

public sealed class OppositionAndLetterTests : SpaceTestBase
{
    private const string LetterReferencePattern = "^LET-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$";

    [Fact]
    public async Task Opposition_gives_a_readable_pdf_proof_and_a_later_new_code_activates_the_space()
    {
        var person = NewPerson();
        await EnrolAsync(person);

        using var opposed = await Client.PostAsJsonAsync("/api/opposition", new { code = CodeOf(person), nir = person.Nir });
        opposed.StatusCode.Should().Be(HttpStatusCode.OK, await opposed.Content.ReadAsStringAsync());
        var result = await opposed.Content.ReadFromJsonAsync<JsonElement>();
        var reference = result.GetProperty("reference").GetString()!;
        reference.Should().MatchRegex("^OPP-[0-9]{8}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$", "a reference read out on the phone is grouped");
        var token = result.GetProperty("proofToken").GetString()!;
        (await Silo.StatusOfAsync(Nir.Parse(person.Nir))).Should().Be(SpaceStatus.Opposed);

        using var proof = await Client.PostAsJsonAsync("/api/opposition/proof", new { nir = person.Nir, proofToken = token });
        proof.StatusCode.Should().Be(HttpStatusCode.OK);
        proof.Content.Headers.ContentType!.MediaType.Should().Be("application/pdf");
        var proofPdf = await proof.Content.ReadAsByteArrayAsync();
        await PdfLayout.ShouldStayWithinMarginsAsync(proofPdf, LetterRenderer.Margin);
        var text = await PdfText.ExtractAsync(proofPdf);
        text.Should().Contain(reference).And.Contain(person.BirthName).And.Contain(Start.ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture));

        (await Client.PostAsJsonAsync("/api/opposition/proof", new { nir = person.Nir, proofToken = token + "x" })).StatusCode.Should().Be(HttpStatusCode.NotFound);
        await ShouldBeProblemAsync(await Client.PostAsJsonAsync("/api/opposition", new { code = CodeOf(person), nir = person.Nir }), HttpStatusCode.BadRequest, "opposition-refused");
        await ShouldBeProblemAsync(await ActivateAsync(person, CodeOf(person)), HttpStatusCode.BadRequest, "activation-refused");

        // Months later the person changes their mind.
        Silo.Clock.Advance(TimeSpan.FromDays(120));
        using var wrongIdentity = await Client.PostAsJsonAsync("/api/activation/new-code", new { nir = person.Nir, vitaleSerial = "000000000", birthDate = person.BirthDate });
        wrongIdentity.StatusCode.Should().Be(HttpStatusCode.Accepted, "the answer never tells whether the identity matched");
        await Silo.RunJobsAsync();
        MailPickup.To(DataPath, person.Email!).Count(m => m.Subject.Contains("activation", StringComparison.Ordinal)).Should().Be(1);

        using var newCode = await Client.PostAsJsonAsync("/api/activation/new-code", new { nir = person.Nir, vitaleSerial = person.VitaleSerial, birthDate = person.BirthDate });
        newCode.StatusCode.Should().Be(HttpStatusCode.Accepted);
        await Silo.RunJobsAsync();
        var second = CodeOf(person);
        (await ActivateAsync(person, second)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await Silo.StatusOfAsync(Nir.Parse(person.Nir))).Should().Be(SpaceStatus.Active);
    }

    [Fact]
    public async Task Opposition_requires_the_matching_nir_and_a_live_code()
    {
        var person = NewPerson();
        var other = NewPerson();
        await EnrolAsync(person, other);
        await ShouldBeProblemAsync(await Client.PostAsJsonAsync("/api/opposition", new { code = CodeOf(person), nir = other.Nir }), HttpStatusCode.BadRequest, "opposition-refused");
        await ShouldBeProblemAsync(await Client.PostAsJsonAsync("/api/opposition", new { code = CodeOf(person), nir = "123" }), HttpStatusCode.BadRequest, "invalid-request");
        Silo.Clock.Advance(TimeSpan.FromDays(43));
        await ShouldBeProblemAsync(await Client.PostAsJsonAsync("/api/opposition", new { code = CodeOf(person), nir = person.Nir }), HttpStatusCode.BadRequest, "opposition-refused");
        (await Silo.StatusOfAsync(Nir.Parse(person.Nir))).Should().Be(SpaceStatus.Created);
        (await Silo.StatusOfAsync(Nir.Parse(other.Nir))).Should().Be(SpaceStatus.Created);
    }

    [Fact]
    public async Task A_person_without_email_gets_a_pdf_letter_whose_code_activates_the_space()
    {
        var person = NewPerson(withEmail: false);
        await EnrolAsync(person);
        var letters = Silo.Get<LetterOutbox>();
        var files = Directory.GetFiles(letters.Path, "*.pdf");
        files.Should().ContainSingle();
        var pdf = await File.ReadAllBytesAsync(files[0]);
        await PdfLayout.ShouldStayWithinMarginsAsync(pdf, LetterRenderer.Margin);
        var text = await PdfText.ExtractFileAsync(files[0]);
        text.Should().Contain(person.BirthName).And.Contain("75002 Paris").And.Contain("Mon Espace Santé");

        // The reference is read out on the phone: one short grouped word beside its label, inside the address block.
        var printed = PdfLayout.WordAfterLabel((await PdfLayout.ReadAsync(pdf))[0], "Référence");
        printed.Left.Should().BeGreaterThanOrEqualTo(LetterRenderer.Margin + LetterRenderer.RecipientIndent);
        printed.Text.Should().MatchRegex(LetterReferencePattern);
        var spaceId = (await Silo.Get<SpaceDirectory>().FindByNirAsync(Nir.Parse(person.Nir)))!.Value;
        printed.Text.Should().Be(LetterReference.For(spaceId, 0), "support derives it again from the space and the code's generation");
        Path.GetFileNameWithoutExtension(files[0]).Should().Be($"{spaceId:N}-0", "the letter's file keeps the unique delivery id");
        var code = MailPickup.ActivationCodePattern().Match(text).Value;
        code.Should().NotBeEmpty();
        MailPickup.Read(DataPath).Should().BeEmpty("a person without e-mail gets no e-mail");

        (await ActivateAsync(person, code, email: "letter.reader@example.org")).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
