namespace MonEspaceSante.Documents;

/// <summary>The media type each format is served with, and which declared types may name it.</summary>
public static class ContentTypes
{
    public static string Of(DocumentFormat format) => format switch
    {
        DocumentFormat.Pdf => "application/pdf",
        DocumentFormat.Jpeg => "image/jpeg",
        DocumentFormat.Png => "image/png",
        DocumentFormat.Text => "text/plain; charset=utf-8",
        DocumentFormat.CdaXml => "application/xml",
        DocumentFormat.FhirJson => "application/fhir+json",
        _ => "application/octet-stream",
    };

    public static string Extension(DocumentFormat format) => format switch
    {
        DocumentFormat.Pdf => ".pdf",
        DocumentFormat.Jpeg => ".jpg",
        DocumentFormat.Png => ".png",
        DocumentFormat.Text => ".txt",
        DocumentFormat.CdaXml => ".xml",
        DocumentFormat.FhirJson => ".json",
        _ => "",
    };

    /// <summary>
    /// Whether a declared media type agrees with the format found in the content. No type, or
    /// application/octet-stream, declares nothing; an unknown type never matches.
    /// </summary>
    public static bool Agrees(string? declared, DocumentFormat actual)
    {
        var type = declared?.Split(';')[0].Trim().ToLowerInvariant();
        return type switch
        {
            null or "" or "application/octet-stream" => true,
            "application/pdf" => actual == DocumentFormat.Pdf,
            "image/jpeg" or "image/jpg" => actual == DocumentFormat.Jpeg,
            "image/png" => actual == DocumentFormat.Png,
            "text/plain" => actual == DocumentFormat.Text,
            "application/xml" or "text/xml" or "application/hl7-v3+xml" or "application/cda+xml" => actual == DocumentFormat.CdaXml,
            "application/fhir+json" or "application/json" => actual == DocumentFormat.FhirJson,
            _ => false,
        };
    }
}
