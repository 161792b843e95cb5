using MonEspaceSante.Documents;

namespace MonEspaceSante.Tests.Hosting;

/// <summary>What the OpenAPI document tells clients about fields whose values the platform changes on receipt.</summary>
public sealed class OpenApiFieldDescriptionTests(OpenApiDocumentFixture fixture) : IClassFixture<OpenApiDocumentFixture>
{
    [Theory]
    [InlineData("DocumentDeclaration", "fileName")]
    [InlineData("DocumentInfo", "fileName")]
    [InlineData("AttachmentInfo", "fileName")]
    public void A_file_name_field_says_how_the_name_is_normalised(string schema, string property)
    {
        var schemas = fixture.Document.GetProperty("components").GetProperty("schemas");
        schemas.TryGetProperty(schema, out var described).Should().BeTrue($"{schema} is in the document");
        var field = described.GetProperty("properties").GetProperty(property);
        field.TryGetProperty("description", out var description).Should().BeTrue($"{schema}.{property} is described");
        description.GetString().Should().Be(FileNameRule.Text);
        description.GetString().Should().Contain("last path segment").And.Contain("control");
    }
}
