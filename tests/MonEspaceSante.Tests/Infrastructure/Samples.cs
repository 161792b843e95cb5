using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace MonEspaceSante.Tests.Infrastructure;

/// <summary>Small but genuine documents of each accepted format, and multipart uploads of them.</summary>
public static class Samples
{
    public static byte[] Pdf(int padding = 0) => Encoding.ASCII.GetBytes(
        "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n" +
        new string('%', padding) + "\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    public static byte[] Jpeg() => [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xFF, 0xD9];

    public static byte[] Png() => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00];

    public static byte[] Text(string text = "Compte rendu de consultation : tension 12/8, à revoir dans 3 mois.\n") => Encoding.UTF8.GetBytes(text);

    public static byte[] Cda() => Encoding.UTF8.GetBytes(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- CR de biologie -->\n<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><typeId root=\"2.16.840.1.113883.1.3\" extension=\"POCD_HD000040\"/>" +
        "<code code=\"11502-2\" codeSystem=\"2.16.840.1.113883.6.1\"/><title>Résultats</title></ClinicalDocument>\n");

    public static byte[] Fhir() => Encoding.UTF8.GetBytes(
        "{\"id\":\"b1\",\"meta\":{\"profile\":[\"http://hl7.org/fhir/StructureDefinition/Bundle\"]},\"resourceType\":\"Bundle\",\"type\":\"document\",\"entry\":[{\"resource\":{\"resourceType\":\"Composition\",\"status\":\"final\"}}]}");

    /// <summary>A sample by format name: pdf, jpeg, png, text, cda, fhir.</summary>
    public static byte[] Of(string name) => name switch
    {
        "pdf" => Pdf(),
        "jpeg" => Jpeg(),
        "png" => Png(),
        "text" => Text(),
        "cda" => Cda(),
        "fhir" => Fhir(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown sample"),
    };

    /// <summary>Random bytes behind a PDF header: incompressible, any size.</summary>
    public static byte[] LargePdf(int size)
    {
        var bytes = new byte[size];
        Random.Shared.NextBytes(bytes);
        "%PDF-1.7\n"u8.CopyTo(bytes);
        return bytes;
    }

    public static MultipartFormDataContent Upload(object metadata, byte[] content, string? contentType, string fileName = "document.bin") =>
        Upload(metadata, new ByteArrayContent(content), contentType, fileName);

    public static MultipartFormDataContent Upload(object metadata, HttpContent content, string? contentType, string fileName = "document.bin")
    {
        var form = new MultipartFormDataContent();
        var json = new StringContent(JsonSerializer.Serialize(metadata, Json.Options), Encoding.UTF8, "application/json");
        form.Add(json, "metadata");
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        form.Add(content, "content", fileName);
        return form;
    }
}
