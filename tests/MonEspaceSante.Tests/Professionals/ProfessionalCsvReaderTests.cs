using System.Text;
using MonEspaceSante.Professionals;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Professionals;

public sealed class ProfessionalCsvReaderTests
{
    private static async Task<List<ParsedProfessional>> ReadAsync(string csv)
    {
        await using var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        var rows = new List<ParsedProfessional>();
        await foreach (var row in ProfessionalCsvReader.ReadAsync(stream))
        {
            rows.Add(row);
        }

        return rows;
    }

    [Fact]
    public async Task Rows_of_the_extract_become_professionals_with_their_line_numbers()
    {
        var rows = await ReadAsync(ProfessionalFiles.Csv([.. ProfessionalFiles.ReadyMade]));

        rows.Select(r => r.Line).Should().Equal(2, 3, 4, 5);
        rows.Select(r => r.Info).Should().Equal(ProfessionalFiles.ReadyMade);
    }

    [Fact]
    public async Task A_semicolon_file_a_byte_order_mark_and_the_national_id_alone_are_accepted()
    {
        var csv = "\uFEFF" + ProfessionalFiles.Csv([], [ProfessionalFiles.Line(ProfessionalFiles.Nurse, ';', rpps: "")], ';');

        var rows = await ReadAsync(csv);

        rows.Should().ContainSingle().Which.Info.Should().Be(ProfessionalFiles.Nurse);
    }

    [Fact]
    public async Task Quotes_and_commas_in_values_are_text()
    {
        var quoted = ProfessionalFiles.Physician with { FacilityName = "\"LES TILLEULS\", CABINET MEDICAL" };

        var rows = await ReadAsync(ProfessionalFiles.Csv(quoted, ProfessionalFiles.Nurse));

        rows.Select(r => r.Info).Should().Equal(quoted, ProfessionalFiles.Nurse);
    }

    [Fact]
    public async Task Each_bad_row_is_reported_with_its_reason_and_the_rest_continue()
    {
        var good = ProfessionalFiles.Midwife;
        var badLuhn = ProfessionalFiles.Line(good, rpps: "10003456787", nationalId: "810003456787");
        var adeli = ProfessionalFiles.Line(good, rpps: "751234567", nationalId: "0751234567");
        var disagree = ProfessionalFiles.Line(good, nationalId: "8" + ProfessionalFiles.Physician.Rpps);
        var noName = ProfessionalFiles.Line(good with { LastName = " " });
        var noProfession = ProfessionalFiles.Line(good with { ProfessionCode = "" });
        var noLabel = ProfessionalFiles.Line(good with { Profession = "" });
        var longName = ProfessionalFiles.Line(good with { FirstName = new string('a', 101) });

        var rows = await ReadAsync(ProfessionalFiles.Csv([], [badLuhn, adeli, disagree, noName, noProfession, noLabel, longName, "8|1|2", ProfessionalFiles.Line(good)]));

        rows.Select(r => r.Line).Should().Equal(2, 3, 4, 5, 6, 7, 8, 9, 10);
        rows[0].Rejection.Should().Contain("Identifiant PP").And.Contain("Luhn");
        rows[1].Rejection.Should().Contain("not an RPPS");
        rows[2].Rejection.Should().Contain("different professionals");
        rows[3].Rejection.Should().Be("Nom d'exercice is missing.");
        rows[4].Rejection.Should().Be("Code profession is missing.");
        rows[5].Rejection.Should().Be("Libellé profession is missing.");
        rows[6].Rejection.Should().Contain("Prénom d'exercice is longer than 100");
        rows[7].Rejection.Should().Contain("expected 57 fields, found 3");
        rows[8].Info.Should().Be(good);
    }

    [Fact]
    public async Task A_header_without_the_required_columns_is_refused_whole()
    {
        var act = () => ReadAsync("Identifiant PP|Nom d'exercice\n10003456786|MARTIN\n");
        (await act.Should().ThrowAsync<InvalidDataException>()).WithMessage("*Prénom d'exercice*Code profession*Libellé profession*");

        var noId = () => ReadAsync("Nom d'exercice|Prénom d'exercice|Code profession|Libellé profession\nA|B|10|Médecin\n");
        (await noId.Should().ThrowAsync<InvalidDataException>()).WithMessage("*Identifiant PP (or Identification nationale PP)*");
    }

    [Fact]
    public async Task Header_names_match_without_regard_to_case_accents_or_apostrophes()
    {
        var rows = await ReadAsync("IDENTIFIANT PP;NOM D’EXERCICE;prenom d'exercice;Code Profession;LIBELLE PROFESSION\n10003456786;MARTIN;Claire;10;Médecin\n");

        rows.Should().ContainSingle().Which.Info.Should().Be(new ProfessionalInfo("10003456786", "MARTIN", "Claire", "10", "Médecin", null, null, null, null));
    }
}
