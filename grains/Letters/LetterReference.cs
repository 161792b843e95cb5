using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MonEspaceSante.Security;

namespace MonEspaceSante.Letters;

/// <summary>
/// The reference printed on an activation letter, which its reader may have to read out on the phone:
/// <c>LET-XXXX-XXXX-XXXX</c>, 12 symbols of the activation code's alphabet (Crockford base32: no I, L, O or U) in
/// groups of four. The prefix keeps it from being taken for the code printed on the same page, which has 13 symbols.
/// </summary>
/// <remarks>
/// It is derived from the space and the code's generation, the letter's identity, so a delivery job run again prints
/// the same reference, and whoever has found the caller's space by their identity can tell which of their letters
/// they hold by deriving it again: nothing is stored. 60 bits suffice because the reference names a letter for a
/// person, it neither proves nor unlocks anything, and nothing is keyed by it: even after 2^28 letters (65 million
/// people, four codes each) the chance that a given reference is also another letter's is 2^-32. What must never
/// collide, the e-mail job's id and the letter's file in the print house's folder, keep the full space id and
/// generation.
/// </remarks>
public static class LetterReference
{
    public const string Prefix = "LET-";
    public const int Symbols = 12;

    public static string For(Guid spaceId, int codeGeneration)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"mes-letter-reference:{spaceId:N}:{codeGeneration}")), hash);

        // The first 60 bits of the hash, five at a time; a hash's bits are uniform, so every symbol is equally likely.
        var bits = BinaryPrimitives.ReadUInt64BigEndian(hash);
        Span<char> symbols = stackalloc char[Symbols];
        for (var i = 0; i < Symbols; i++)
        {
            symbols[i] = ActivationCode.Alphabet[(int)(bits >> (64 - (5 * (i + 1)))) & 31];
        }

        return $"{Prefix}{symbols[..4]}-{symbols[4..8]}-{symbols[8..]}";
    }
}
