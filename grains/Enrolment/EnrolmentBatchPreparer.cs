using System.Security.Cryptography;
using System.Text.Json;
using MonEspaceSante.Runtime;
using MonEspaceSante.Security;
using MonEspaceSante.Spaces;

namespace MonEspaceSante.Enrolment;

/// <summary>
/// The CPU half of an import batch, done before the batch's transaction so that it overlaps
/// the previous batch's COPY: NIR keys, duplicates inside the batch, new space ids, activation
/// codes and their keyed hashes, state JSON. Rows whose NIR turns out to be taken when the
/// batch is written are dropped there, code and all: nothing of them was stored. Holds reused
/// HMAC contexts, so one instance per thread.
/// </summary>
internal sealed class EnrolmentBatchPreparer(KeyRing keys, Guid importId, TimeSpan codeValidity, TimeProvider time) : IDisposable
{
    private readonly KeyedHasher lookup = keys.CreateLookupHasher();
    private readonly KeyedHasher codes = keys.CreateCodeHasher();
    private byte[] random = [];

    public PreparedBatch Prepare(IReadOnlyList<ParsedRow> rows)
    {
        var now = time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var rejections = new List<(long Line, string Reason)>();
        var spaces = new List<PreparedSpace>(rows.Count);
        var firstLineByKey = new Dictionary<string, long>(rows.Count, StringComparer.Ordinal);

        // One call to the system RNG for the whole batch instead of one per code.
        var needed = rows.Count * ActivationCode.Symbols;
        if (random.Length < needed)
        {
            random = new byte[needed];
        }

        RandomNumberGenerator.Fill(random.AsSpan(0, needed));
        Span<char> canonical = stackalloc char[ActivationCode.Symbols];
        var used = 0;
        foreach (var parsed in rows)
        {
            if (parsed.Row is not { } row)
            {
                rejections.Add((parsed.Line, parsed.Rejection!));
                continue;
            }

            var key = SpaceDirectory.NirKey(lookup, row.Nir);
            if (!firstLineByKey.TryAdd(key, row.Line))
            {
                rejections.Add((row.Line, $"duplicate NIR: same as line {firstLineByKey[key]} of this file."));
                continue;
            }

            var spaceId = Guid.NewGuid();
            var code = ActivationCode.FromRandom(random.AsSpan(used, ActivationCode.Symbols), canonical);
            used += ActivationCode.Symbols;
            var expires = new DateTimeOffset(row.NotificationDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) + codeValidity;
            var state = new PatientSpaceState
            {
                SpaceId = spaceId,
                Status = SpaceStatus.Created,
                Nir = row.Nir.Value,
                BirthName = row.BirthName,
                FirstNames = row.FirstNames,
                BirthDate = row.BirthDate,
                Sex = row.Sex,
                InsurerEmail = row.Email,
                PostalAddress = row.PostalAddress,
                VitaleSerial = row.VitaleSerial,
                VitaleCardType = row.CardType,
                NotificationDate = row.NotificationDate,
                ImportId = importId,
                CreatedAt = now,
                CodeHash = SpaceLifecycle.HashCode(codes, spaceId, 0, canonical),
                CodeExpiresAt = expires,
            };
            spaces.Add(new PreparedSpace(
                new NewSpaceRow(spaceId.ToString(), key, row.Line, JsonSerializer.SerializeToUtf8Bytes(state, GrainJsonContext.Default.PatientSpaceState),
                    nameof(SpaceStatus.Created), expires.ToUnixTimeMilliseconds(), nowMs),
                row.NotificationDate,
                new ActivationNotice(spaceId, code, 0)));
        }

        // The bytes that became codes are not left lying in a buffer that outlives the batch.
        CryptographicOperations.ZeroMemory(random.AsSpan(0, needed));
        return new PreparedBatch(spaces, rejections, rows.Count, rows[^1].Line);
    }

    public void Dispose()
    {
        lookup.Dispose();
        codes.Dispose();
    }
}

/// <summary>A batch ready for its transaction: candidate spaces, rows already rejected, and its checkpoint.</summary>
internal sealed record PreparedBatch(IReadOnlyList<PreparedSpace> Spaces, IReadOnlyList<(long Line, string Reason)> Rejections, int Rows, long LastLine);

/// <summary>A candidate space: its rows to write and the code to deliver if it is created.</summary>
internal sealed record PreparedSpace(NewSpaceRow Row, DateOnly NotificationDate, ActivationNotice Notice);
