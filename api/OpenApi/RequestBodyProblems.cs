using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace MonEspaceSante.Api.OpenApi;

/// <summary>
/// The problems a route answers about its body before its handler runs, read from the endpoint
/// metadata that makes the framework answer them, so no route has to repeat them by hand.
/// </summary>
/// <remarks>
/// A route that accepts a body carries <see cref="IAcceptsMetadata"/>: the minimal-API binder adds
/// it for a JSON parameter (and answers 415 to another media type, 400 to unreadable JSON), and
/// <c>Accepts</c> adds it for a route that reads its body itself (routing answers 415 to a media
/// type outside the list). Any body read is bounded by the server's size limit, or the route's own
/// (<see cref="IRequestSizeLimitMetadata"/>, which a route that reads a raw body sets), and past it
/// the server refuses the body with 413, unless the route lifts the limit.
/// </remarks>
internal static class RequestBodyProblems
{
    public static IEnumerable<int> Of(IList<object> metadata)
    {
        var accepts = metadata.OfType<IAcceptsMetadata>().Any(a => a.ContentTypes.Count > 0);
        // The last one wins, as it does for the server: a route's limit over its group's.
        var limit = metadata.OfType<IRequestSizeLimitMetadata>().LastOrDefault();
        if (accepts)
        {
            yield return StatusCodes.Status400BadRequest;
            yield return StatusCodes.Status415UnsupportedMediaType;
        }

        if ((accepts && limit is null) || limit is { MaxRequestBodySize: not null })
        {
            yield return StatusCodes.Status413PayloadTooLarge;
        }
    }
}
