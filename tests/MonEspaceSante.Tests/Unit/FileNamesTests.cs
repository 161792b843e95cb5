using MonEspaceSante.Content;

namespace MonEspaceSante.Tests.Unit;

public sealed class FileNamesTests
{
    [Theory]
    [InlineData("../../../../etc/passwd", "passwd")]
    [InlineData("..\\..\\win.ini", "win.ini")]
    [InlineData("C:\\Users\\jean\\compte-rendu.pdf", "compte-rendu.pdf")]
    [InlineData("rapport\r\nSet-Cookie: x=1.pdf", "rapportSet-Cookie_ x=1.pdf")]
    [InlineData("nul\0byte\u0007.pdf", "nulbyte.pdf")]
    [InlineData("invisible\u202Efdp.exe", "invisiblefdp.exe")]
    [InlineData("  ..caché.pdf. ", "caché.pdf")]
    [InlineData("a<b>c|d?e*.pdf", "a_b_c_d_e_.pdf")]
    [InlineData("Compte rendu d'échographie.pdf", "Compte rendu d'échographie.pdf")]
    public void A_sent_name_becomes_a_safe_base_name(string sent, string kept) =>
        FileNames.Safe(sent).Should().Be(kept);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("..")]
    [InlineData("../")]
    [InlineData("dossier/")]
    [InlineData("\r\n\t")]
    public void Nothing_usable_gives_no_name(string? sent) =>
        FileNames.Safe(sent).Should().BeNull();

    [Fact]
    public void A_long_name_is_cut_keeping_its_extension()
    {
        var kept = FileNames.Safe(new string('a', 400) + ".pdf")!;
        kept.Should().HaveLength(FileNames.MaxLength).And.EndWith("a.pdf");
    }
}
