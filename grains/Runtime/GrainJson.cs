using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace MonEspaceSante.Runtime;

/// <summary>
/// The JSON of stored grain state: the source-generated context first (no reflection for the
/// known states), reflection for a state it does not list, camel case, enums by name, no type
/// names ever, so a stored row reads the same whatever assembly or class name wrote it.
/// </summary>
public sealed class GrainJson
{
    public JsonSerializerOptions Options { get; } = new(GrainJsonContext.Default.Options)
    {
        TypeInfoResolver = JsonTypeInfoResolver.Combine(GrainJsonContext.Default, new DefaultJsonTypeInfoResolver()),
    };
}
