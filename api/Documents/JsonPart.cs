using System.Buffers;
using System.Text.Json;
using MonEspaceSante.Errors;

namespace MonEspaceSante.Api.Documents;

/// <summary>
/// Reads the JSON part of a multipart request (an upload's metadata, a message) up to a size
/// limit, into a pooled buffer: a fresh array per request was zeroed and collected every time
/// (for a message's 256 KiB, on the large-object heap). The buffer is cleared before it goes
/// back to the pool, as it may hold a patient's details or a message.
/// </summary>
public static class JsonPart
{
    /// <summary>
    /// The part's JSON as <typeparamref name="T"/>, or a problem: <paramref name="tooLarge"/> past
    /// <paramref name="maxBytes"/>, invalid-request naming <paramref name="part"/> for bad JSON.
    /// A JSON <c>null</c> is returned as null, for the caller to say what was missing.
    /// </summary>
    public static async Task<T?> ReadAsync<T>(Stream body, int maxBytes, JsonSerializerOptions options, string part, DomainException tooLarge, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var json = ArrayPool<byte>.Shared.Rent(maxBytes + 1);
        var length = 0;
        try
        {
            length = await body.ReadAtLeastAsync(json.AsMemory(0, maxBytes + 1), maxBytes + 1, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (length > maxBytes)
            {
                throw tooLarge;
            }

            return JsonSerializer.Deserialize<T>(json.AsSpan(0, length), options);
        }
        catch (InvalidDataException) when (!cancellationToken.IsCancellationRequested)
        {
            // The multipart section's own length limit (set for the parts after this one, and
            // possibly below this part's) was passed: too large too, not a server error.
            throw tooLarge;
        }
        catch (JsonException exception)
        {
            throw new DomainException(DomainError.InvalidRequest, $"The {part} part: {Problems.JsonProblems.Describe(exception)}");
        }
        finally
        {
            // All of it if the read failed part-way (length unknown).
            json.AsSpan(0, length > 0 ? length : json.Length).Clear();
            ArrayPool<byte>.Shared.Return(json);
        }
    }
}
