using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using MonEspaceSante.Documents;

namespace MonEspaceSante.Api.OpenApi;

/// <summary>
/// Success responses the generator cannot infer: routes that stream a file or events return an
/// untyped result, and would otherwise appear to answer nothing but problems.
/// </summary>
public static class ContentResponses
{
    /// <summary>The media types documents and attachments are served with (parameters such as charset left out).</summary>
    public static readonly string[] DocumentTypes = [.. Enum.GetValues<DocumentFormat>().Select(f => ContentTypes.Of(f).Split(';')[0]).Distinct(StringComparer.Ordinal)];

    /// <summary>200 with a binary body of one of <paramref name="contentTypes"/>; also 206 when byte ranges are served.</summary>
    public static TBuilder ProducesContent<TBuilder>(this TBuilder builder, bool ranges, params string[] contentTypes)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(contentTypes);
        builder.WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(Stream), contentTypes));
        if (ranges)
        {
            builder.WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status206PartialContent, typeof(Stream), contentTypes));
        }

        return builder;
    }
}
