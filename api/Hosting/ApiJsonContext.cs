using System.Text.Json;
using System.Text.Json.Serialization;
using MonEspaceSante.Spaces;

namespace MonEspaceSante.Api;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, WriteIndented = true)]
[JsonSerializable(typeof(SpaceArchive))]
[JsonSerializable(typeof(List<MonEspaceSante.Documents.DocumentInfo>))]
[JsonSerializable(typeof(MonEspaceSante.HealthProfiles.HealthProfileView))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
