using System.Security.Cryptography;
using MonEspaceSante.Identity;
using MonEspaceSante.Security;
using MonEspaceSante.Spaces;

namespace MonEspaceSante.Tests.Unit;

/// <summary>The bulk path's reused hashers must produce exactly the keys and hashes the grains look up.</summary>
public sealed class KeyedHasherTests
{
    private readonly KeyRing keys = new(RandomNumberGenerator.GetBytes(32));

    [Theory]
    [InlineData("nir", "150017509609681")]
    [InlineData("email", "jérôme.martin@exemple.fr")]
    [InlineData("x", "")]
    public void A_reused_hasher_gives_the_one_shot_hashes_again_and_again(string scope, string value)
    {
        using var lookup = keys.CreateLookupHasher();
        using var codes = keys.CreateCodeHasher();
        for (var i = 0; i < 3; i++)
        {
            lookup.Hash(scope, value).Should().Be(keys.LookupHash(scope, value));
            codes.Hash(scope, value).Should().Be(keys.CodeHash(scope, value));
        }

        var longValue = new string('é', 1000);
        lookup.Hash(scope, longValue).Should().Be(keys.LookupHash(scope, longValue));
    }

    [Fact]
    public void The_bulk_NIR_key_and_code_hash_are_the_grains_own()
    {
        using var lookup = keys.CreateLookupHasher();
        using var codes = keys.CreateCodeHasher();
        var nir = Nir.Parse("150017509609681");
        SpaceDirectory.NirKey(lookup, nir).Should().Be(new SpaceDirectory(null!, keys).NirKey(nir));

        var spaceId = Guid.NewGuid();
        Span<char> canonical = stackalloc char[ActivationCode.Symbols];
        var code = ActivationCode.FromRandom(RandomNumberGenerator.GetBytes(ActivationCode.Symbols), canonical);
        var normalized = ActivationCode.Normalize(code);
        canonical.ToString().Should().Be(normalized);
        SpaceLifecycle.HashCode(codes, spaceId, 0, canonical).Should().Be(SpaceLifecycle.HashCode(keys, spaceId, 0, normalized!));
        SpaceLifecycle.HashCode(codes, spaceId, 12, canonical).Should().Be(SpaceLifecycle.HashCode(keys, spaceId, 12, normalized!));
    }
}

public sealed class VitaleSerialTests
{
    [Theory]
    [InlineData("12 ab-34 é", "12AB34É")]
    [InlineData("", "")]
    [InlineData(null, "")]
    [InlineData("--  --", "")]
    [InlineData("100095000", "100095000")]
    public void Serials_keep_letters_and_digits_upper_cased(string? typed, string expected)
    {
        SpaceLifecycle.NormalizeSerial(typed).Should().Be(expected);
        // The same as the plain formulation it replaced on the enrolment hot path.
        SpaceLifecycle.NormalizeSerial(typed).Should().Be(new string((typed ?? "").Where(char.IsLetterOrDigit).Select(char.ToUpperInvariant).ToArray()));
    }
}
