using System.Text;
using MonEspaceSante.Documents;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Documents;

public sealed class FormatInspectorTests
{
    public static TheoryData<string, DocumentFormat> Accepted => new()
    {
        { "pdf", DocumentFormat.Pdf },
        { "jpeg", DocumentFormat.Jpeg },
        { "png", DocumentFormat.Png },
        { "text", DocumentFormat.Text },
        { "cda", DocumentFormat.CdaXml },
        { "fhir", DocumentFormat.FhirJson },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Recognises_each_accepted_format_by_content(string sample, DocumentFormat expected)
    {
        var bytes = Samples.Of(sample);
        var inspector = new FormatInspector();
        inspector.Recognise(bytes).Should().Be(expected);
        inspector.Check(bytes, final: false).Should().BeTrue();
        inspector.Check([], final: true).Should().BeTrue();
    }

    [Theory]
    [InlineData("GIF89a\x01\x00\x01\x00")]
    [InlineData("PK\x03\x04zip")]
    [InlineData("<html><body>not a CDA</body></html>")]
    [InlineData("<?xml version=\"1.0\"?><ClinicalDocument xmlns=\"urn:other\"/>")]
    [InlineData("MZ\x90\x00")]
    public void Refuses_other_content(string content) =>
        new FormatInspector().Recognise(Encoding.Latin1.GetBytes(content)).Should().BeNull();

    [Fact]
    public void Json_without_a_resource_type_is_plain_text_and_broken_json_fails_its_check()
    {
        new FormatInspector().Recognise("{\"a\":1}"u8).Should().Be(DocumentFormat.Text);

        var inspector = new FormatInspector();
        var broken = "{\"resourceType\":\"Bundle\",\"entry\":[{\"a\":"u8.ToArray();
        inspector.Recognise(broken).Should().Be(DocumentFormat.FhirJson);
        inspector.Check(broken, final: false).Should().BeTrue();
        inspector.Check([], final: true).Should().BeFalse();
    }

    [Fact]
    public void Json_is_checked_across_blocks_that_split_tokens()
    {
        var json = Encoding.UTF8.GetBytes("{\"resourceType\":\"Observation\",\"valueString\":\"" + new string('é', 5000) + "\",\"n\":[1,2,3]}");
        var inspector = new FormatInspector();
        inspector.Recognise(json.AsSpan(0, 100)).Should().Be(DocumentFormat.FhirJson);
        for (var i = 0; i < json.Length; i += 333)
        {
            inspector.Check(json.AsSpan(i, Math.Min(333, json.Length - i)), final: false).Should().BeTrue();
        }

        inspector.Check([], final: true).Should().BeTrue();
    }

    [Fact]
    public void Text_with_invalid_utf8_or_control_characters_fails()
    {
        var inspector = new FormatInspector();
        var text = Samples.Text();
        inspector.Recognise(text).Should().Be(DocumentFormat.Text);
        inspector.Check(text, final: false).Should().BeTrue();
        inspector.Check([0xC3, 0x28], final: true).Should().BeFalse();

        new FormatInspector().Recognise("binary\0data"u8).Should().BeNull();
    }

    [Theory]
    [InlineData("application/pdf", DocumentFormat.Pdf, true)]
    [InlineData("application/octet-stream", DocumentFormat.Png, true)]
    [InlineData(null, DocumentFormat.Jpeg, true)]
    [InlineData("image/png", DocumentFormat.Pdf, false)]
    [InlineData("text/plain; charset=utf-8", DocumentFormat.Text, true)]
    [InlineData("text/plain", DocumentFormat.CdaXml, false)]
    [InlineData("application/fhir+json", DocumentFormat.FhirJson, true)]
    [InlineData("image/gif", DocumentFormat.Png, false)]
    public void Declared_types_must_agree_with_the_content(string? declared, DocumentFormat actual, bool agrees) =>
        ContentTypes.Agrees(declared, actual).Should().Be(agrees);

    [Theory]
    [InlineData("11488-4", true)]
    [InlineData("11490-0", true)]
    [InlineData("57833-6", true)]
    [InlineData("11488-5", false)]
    [InlineData("11488", false)]
    [InlineData("1a488-4", false)]
    public void Loinc_codes_are_checked_with_their_check_digit(string code, bool valid) =>
        DocumentTypes.IsValid(code).Should().Be(valid);
}
