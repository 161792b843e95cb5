using Orleans;

namespace MonEspaceSante.Identity;

// Nir and Rpps are only ever built by their Parse/TryParse, which validate (NIR key, RPPS Luhn
// digit). Serialising their field directly would let the receiving side rebuild one without those
// checks, so they cross the wire as their canonical string and are parsed again on arrival: an
// invalid value fails the call loudly (FormatException) instead of slipping in. default(Nir) and
// default(Rpps), whose Value is null, stay default on the other side.

/// <summary>The wire form of a <see cref="Nir"/>: its 15 normalised characters.</summary>
[GenerateSerializer]
[Alias("mes.NirSurrogate")]
internal readonly record struct NirSurrogate([property: Id(0)] string? Value);

[RegisterConverter]
internal sealed class NirSurrogateConverter : IConverter<Nir, NirSurrogate>
{
    public Nir ConvertFromSurrogate(in NirSurrogate surrogate) =>
        surrogate.Value is null ? default : Nir.Parse(surrogate.Value);

    public NirSurrogate ConvertToSurrogate(in Nir value) => new(value.Value);
}

/// <summary>The wire form of an <see cref="Rpps"/>: its 11 digits.</summary>
[GenerateSerializer]
[Alias("mes.RppsSurrogate")]
internal readonly record struct RppsSurrogate([property: Id(0)] string? Value);

[RegisterConverter]
internal sealed class RppsSurrogateConverter : IConverter<Rpps, RppsSurrogate>
{
    public Rpps ConvertFromSurrogate(in RppsSurrogate surrogate) =>
        surrogate.Value is null ? default : Rpps.Parse(surrogate.Value);

    public RppsSurrogate ConvertToSurrogate(in Rpps value) => new(value.Value);
}
