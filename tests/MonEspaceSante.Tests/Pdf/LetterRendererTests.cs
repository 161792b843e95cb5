using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using FluentAssertions;
using MonEspaceSante.Pdf;
using PdfSharp;
using PdfSharp.Pdf;
using PdfSharp.Pdf.IO;
using Xunit;

namespace MonEspaceSante.Tests.Pdf;

public sealed class LetterRendererTests
{
    private static readonly ActivationLetter Letter = new(
        FullName: "Hélène Lefèvre-Crâne",
        PostalAddress: "Appartement 12, bâtiment B\r\n27 rue de l'Église\n69003 Lyon",
        ActivationCode: "K7Q4-ZP2M",
        NotificationDate: new DateOnly(2025, 3, 14),
        ValidUntil: new DateOnly(2025, 4, 25),
        Reference: "MES-2025-000123");

    private static readonly OppositionProof Proof = new(
        FullName: "François Lœuillet-Ørsted",
        BirthDate: new DateOnly(1987, 11, 5),
        Reference: "OPP-2025-000456",
        OpposedAt: new DateTimeOffset(2025, 3, 20, 10, 30, 0, TimeSpan.FromHours(1)));

    public LetterRendererTests()
    {
        // PDFsharp 6.5 refuses to render until the process selects a license. Internal test runs use the AGPL one;
        // which license the deployed host selects is decided at its startup, not here. The call is idempotent.
        PdfSharpLicense.SetAgplLicense();
    }

    [Fact]
    public void Activation_letter_is_a_pdf()
    {
        var bytes = LetterRenderer.RenderActivationLetter(Letter);

        Encoding.ASCII.GetString(bytes, 0, 5).Should().Be("%PDF-");
    }

    [Fact]
    public void Activation_letter_contains_every_value_as_text()
    {
        var text = ExtractText(LetterRenderer.RenderActivationLetter(Letter));

        text.Should().Contain("Hélène Lefèvre-Crâne");
        text.Should().Contain("Appartement 12, bâtiment B");
        text.Should().Contain("27 rue de l'Église");
        text.Should().Contain("69003 Lyon");
        text.Should().Contain("K7Q4-ZP2M");
        text.Should().Contain("MES-2025-000123");
        text.Should().Contain("14/03/2025");
        text.Should().Contain("25/04/2025");
        text.Should().NotContain("\r", "a CRLF address must not leak a carriage return into the letter");
    }

    [Fact]
    public void Activation_letter_explains_activation_and_opposition_with_accents_intact()
    {
        var text = Collapse(ExtractText(LetterRenderer.RenderActivationLetter(Letter)));

        text.Should().Contain("Mon Espace Santé");
        text.Should().Contain("valable jusqu'au 25/04/2025");
        text.Should().Contain("numéro de sécurité sociale (NIR)");
        text.Should().Contain("numéro de série de votre carte Vitale");
        text.Should().Contain("adresse e-mail");
        text.Should().Contain("vous opposer à la création");
        text.Should().Contain("6 semaines");
        text.Should().Contain("activé automatiquement");
    }

    [Fact]
    public void Activation_letter_sets_the_document_title()
    {
        using var document = PdfReader.Open(new MemoryStream(LetterRenderer.RenderActivationLetter(Letter)), PdfDocumentOpenMode.Import);

        document.Info.Title.Should().Contain("Mon Espace Santé").And.Contain("code provisoire d'activation");
    }

    [Fact]
    public void Opposition_proof_is_a_pdf()
    {
        var bytes = LetterRenderer.RenderOppositionProof(Proof);

        Encoding.ASCII.GetString(bytes, 0, 5).Should().Be("%PDF-");
    }

    [Fact]
    public void Opposition_proof_contains_every_value_as_text()
    {
        var text = Collapse(ExtractText(LetterRenderer.RenderOppositionProof(Proof)));

        text.Should().Contain("Attestation d'opposition à la création de Mon Espace Santé");
        text.Should().Contain("François Lœuillet-Ørsted");
        text.Should().Contain("05/11/1987");
        text.Should().Contain("OPP-2025-000456");
        text.Should().Contain("20/03/2025 09:30 UTC", "the opposition time is stated in UTC whatever the stored offset");
        text.Should().Contain("nouveau code");
        text.Should().Contain("activer son espace");
    }

    [Fact]
    public void Opposition_proof_sets_the_document_title()
    {
        using var document = PdfReader.Open(new MemoryStream(LetterRenderer.RenderOppositionProof(Proof)), PdfDocumentOpenMode.Import);

        document.Info.Title.Should().Be("Attestation d'opposition à la création de Mon Espace Santé");
    }

    [Fact]
    public void Names_outside_french_keep_their_letters_as_text()
    {
        var text = ExtractText(LetterRenderer.RenderOppositionProof(Proof with { FullName = "Dušan Šimić-Łukasiewicz" }));

        text.Should().Contain("Dušan Šimić-Łukasiewicz");
    }

    [Fact]
    public void Null_input_is_rejected()
    {
        FluentActions.Invoking(() => LetterRenderer.RenderActivationLetter(null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => LetterRenderer.RenderOppositionProof(null!)).Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void A_long_address_flows_onto_further_pages_without_losing_text()
    {
        var lines = Enumerable.Range(1, 60).Select(i => $"Ligne d'adresse numéro {i}");
        var letter = Letter with { PostalAddress = string.Join('\n', lines) };

        var bytes = LetterRenderer.RenderActivationLetter(letter);

        using (var document = PdfReader.Open(new MemoryStream(bytes), PdfDocumentOpenMode.Import))
        {
            document.PageCount.Should().BeGreaterThan(1);
        }

        var text = ExtractText(bytes);
        text.Should().Contain("Ligne d'adresse numéro 60");
        text.Should().Contain("K7Q4-ZP2M");
    }

    [Fact]
    public async Task Twenty_documents_render_concurrently()
    {
        var renders = Enumerable.Range(0, 20).Select(i => Task.Run(() =>
        {
            var reference = $"PAR-{i:D4}";
            var bytes = i % 2 == 0
                ? LetterRenderer.RenderActivationLetter(Letter with { Reference = reference, ActivationCode = $"CODE-{i:D4}" })
                : LetterRenderer.RenderOppositionProof(Proof with { Reference = reference });
            return (Index: i, Reference: reference, Bytes: bytes);
        }));

        var results = await Task.WhenAll(renders);

        results.Should().HaveCount(20);
        foreach (var (index, reference, bytes) in results)
        {
            Encoding.ASCII.GetString(bytes, 0, 5).Should().Be("%PDF-");
            var text = ExtractText(bytes);
            text.Should().Contain(reference);
            if (index % 2 == 0)
            {
                text.Should().Contain($"CODE-{index:D4}");
            }
        }
    }

    private static string Collapse(string text) => Regex.Replace(text, @"\s+", " ");

    private static string ExtractText(byte[] pdf)
    {
        var path = Path.Combine(Path.GetTempPath(), $"mes-letter-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(path, pdf);
        try
        {
            var startInfo = new ProcessStartInfo("pdftotext")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                StandardOutputEncoding = Encoding.UTF8,
                UseShellExecute = false,
            };
            startInfo.ArgumentList.Add("-layout");
            startInfo.ArgumentList.Add("-enc");
            startInfo.ArgumentList.Add("UTF-8");
            startInfo.ArgumentList.Add(path);
            startInfo.ArgumentList.Add("-");

            Process process;
            try
            {
                process = Process.Start(startInfo) ?? throw new InvalidOperationException("pdftotext did not start.");
            }
            catch (Win32Exception ex)
            {
                throw new InvalidOperationException("pdftotext is required by these tests (apt-get install poppler-utils).", ex);
            }

            using (process)
            {
                // Both pipes are drained concurrently so a chatty stderr cannot block the child.
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
                {
                    process.Kill();
                    throw new TimeoutException("pdftotext did not finish within 30 seconds.");
                }

                process.ExitCode.Should().Be(0, "pdftotext reported: {0}", stderr.Result);
                return stdout.Result;
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}
