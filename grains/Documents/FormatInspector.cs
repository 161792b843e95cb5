using System.Text;
using System.Text.Json;
using System.Xml;

namespace MonEspaceSante.Documents;

/// <summary>
/// Recognises a document's format from its bytes, never from what the uploader declares:
/// binary formats by their signature, CDA R2 by its root element (ClinicalDocument in the
/// urn:hl7-org:v3 namespace), FHIR JSON by a top-level "resourceType". Text formats are then
/// checked over the whole stream as it passes: valid UTF-8 (and, for JSON, well-formed), with
/// no control characters in plain text.
/// </summary>
public sealed class FormatInspector
{
    /// <summary>How much of the start of the content the signature check looks at.</summary>
    public const int HeadSize = 8 * 1024;

    private readonly Decoder utf8 = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
    private readonly char[] chars = new char[HeadSize + 16];
    private JsonReaderState jsonState = new(new JsonReaderOptions { MaxDepth = 256 });
    private byte[] jsonPending = [];
    private bool failed;

    public DocumentFormat? Format { get; private set; }

    /// <summary>Recognises the format from the first bytes (up to <see cref="HeadSize"/>, or all of a shorter content).</summary>
    public DocumentFormat? Recognise(ReadOnlySpan<byte> head)
    {
        Format = Sniff(head);
        return Format;
    }

    /// <summary>Checks the next block of content (the head included) for the recognised format; false once it fails.</summary>
    public bool Check(ReadOnlySpan<byte> block, bool final)
    {
        if (failed)
        {
            return false;
        }

        if (Format is DocumentFormat.Text or DocumentFormat.CdaXml or DocumentFormat.FhirJson)
        {
            failed = !CheckUtf8(block, final) || (Format == DocumentFormat.FhirJson && !CheckJson(block, final));
        }

        return !failed;
    }

    internal static DocumentFormat? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.IsEmpty)
        {
            return null;
        }

        if (head.Length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF)
        {
            return DocumentFormat.Jpeg;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return DocumentFormat.Png;
        }

        // PDF readers accept the header anywhere in the first 1,024 bytes.
        if (head[..Math.Min(head.Length, 1024)].IndexOf("%PDF-"u8) >= 0)
        {
            return DocumentFormat.Pdf;
        }

        var text = head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? head[3..] : head;
        if (!LooksLikeText(text))
        {
            return null;
        }

        var first = FirstNonSpace(text);
        if (first == (byte)'<')
        {
            return IsCda(text) ? DocumentFormat.CdaXml : null;
        }

        if (first == (byte)'{' && HasResourceType(text))
        {
            return DocumentFormat.FhirJson;
        }

        return DocumentFormat.Text;
    }

    private static bool LooksLikeText(ReadOnlySpan<byte> head)
    {
        foreach (var b in head)
        {
            if (b < 0x20 && b is not (byte)'\t' and not (byte)'\n' and not (byte)'\r' and not 0x0C)
            {
                return false;
            }
        }

        return true;
    }

    private static byte FirstNonSpace(ReadOnlySpan<byte> text)
    {
        foreach (var b in text)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return b;
            }
        }

        return 0;
    }

    private static bool IsCda(ReadOnlySpan<byte> head)
    {
        try
        {
            using var stream = new MemoryStream(head.ToArray());
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true });
            return reader.MoveToContent() == XmlNodeType.Element && reader.LocalName == "ClinicalDocument" && reader.NamespaceURI == "urn:hl7-org:v3";
        }
        catch (XmlException)
        {
            // The root element's start tag is not within the head, or the XML is malformed.
            return false;
        }
    }

    private static bool HasResourceType(ReadOnlySpan<byte> head)
    {
        var reader = new Utf8JsonReader(head, isFinalBlock: false, default);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    return false;
                }

                if (reader.TokenType != JsonTokenType.PropertyName)
                {
                    return false;
                }

                var isResourceType = reader.ValueTextEquals("resourceType"u8);
                if (!reader.Read())
                {
                    return false;
                }

                if (isResourceType)
                {
                    return reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0;
                }

                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip())
                {
                    return false;
                }
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }

    private bool CheckUtf8(ReadOnlySpan<byte> block, bool final)
    {
        try
        {
            while (!block.IsEmpty)
            {
                var take = Math.Min(block.Length, HeadSize);
                var count = utf8.GetChars(block[..take], chars, flush: final && take == block.Length);
                if (Format == DocumentFormat.Text)
                {
                    foreach (var c in chars.AsSpan(0, count))
                    {
                        if (char.IsControl(c) && c is not ('\t' or '\n' or '\r' or '\f'))
                        {
                            return false;
                        }
                    }
                }

                block = block[take..];
            }

            if (final && block.IsEmpty)
            {
                utf8.GetChars([], chars, flush: true);
            }

            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private bool CheckJson(ReadOnlySpan<byte> block, bool final)
    {
        // A token may straddle blocks: what the reader could not consume is kept for the next one.
        var data = jsonPending.Length == 0 ? block : [.. jsonPending, .. block];
        try
        {
            var reader = new Utf8JsonReader(data, final, jsonState);
            while (reader.Read())
            {
            }

            jsonState = reader.CurrentState;
            jsonPending = data[(int)reader.BytesConsumed..].ToArray();
            return !final || (reader.BytesConsumed == data.Length && reader.CurrentDepth == 0);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
