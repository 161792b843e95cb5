using System.Buffers.Binary;
using MonEspaceSante.Documents;
using MonEspaceSante.Identity;
using MonEspaceSante.Security;
using MonEspaceSante.Spaces;

namespace MonEspaceSante.Access;

/// <summary>
/// The one place a professional's or software's NIR becomes a space: the directory's space when
/// the NIR has one, the unknown patient (<see cref="IUnknownPatientGrain"/>) otherwise. The
/// unknown patient runs the space's own code on no state, so the answer (status, problem body)
/// is the one a space that refuses gives; it is served by <see cref="Buckets"/> grains placed
/// like patient spaces, so a guess activates no patient space, reads no state row and writes
/// nothing but the mass-access guard's counter, under a key of its own per NIR.
/// </summary>
public sealed class UnknownPatient(SpaceDirectory directory, IGrainFactory grains, DocumentVault vault, KeyRing keys)
{
    /// <summary>How many unknown-patient grains serve the cluster: enough that no one of them queues behind a burst, few enough to cost nothing.</summary>
    public const int Buckets = 64;

    private const string KeyKind = "unknown-patient";

    /// <summary>
    /// The key an unknown NIR is counted under by the mass-access guard: a keyed hash, so the
    /// guard's rows reveal no NIR, shaped as a UUID whose version (8) no space id (4) has.
    /// </summary>
    public static Guid KeyOf(KeyRing keys, Nir nir)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var hash = Convert.FromHexString(keys.LookupHash(KeyKind, nir.Value));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    public Task<PatientMatch> FindAsync(Caller caller, Nir nir, PatientSearch search, CancellationToken cancellationToken = default) =>
        ResolveAsync(nir,
            id => grains.GetPatientAccess(id).FindAsync(caller, search),
            decoy => decoy.FindAsync(caller, nir, search),
            cancellationToken);

    public Task<PatientMatch> OpenEmergencyAccessAsync(Caller caller, Nir nir, PatientSearch search, string reason, CancellationToken cancellationToken = default) =>
        ResolveAsync(nir,
            id => grains.GetPatientAccess(id).OpenEmergencyAccessAsync(caller, search, reason),
            decoy => decoy.OpenEmergencyAccessAsync(caller, nir, search, reason),
            cancellationToken);

    public Task<UploadResult> AddDocumentAsync(Caller caller, Nir nir, DocumentDeclaration declaration, UploadContent content, string? idempotencyKey, CancellationToken cancellationToken = default) =>
        ResolveAsync(nir,
            id => vault.AddAsync(id, caller, declaration, content, idempotencyKey, cancellationToken),
            async decoy =>
            {
                // The unknown patient validates the upload as a space does and then refuses it;
                // the content is never read, as for a space that refuses.
                await decoy.PrepareUploadAsync(caller, nir, declaration, idempotencyKey, content.DeclaredLength);
                throw new InvalidOperationException("The unknown patient granted an upload.");
            },
            cancellationToken);

    public Task<DocumentInfo> ReleaseAsync(Caller caller, Nir nir, Guid documentId, CancellationToken cancellationToken = default) =>
        ResolveAsync(nir,
            id => grains.GetPatientDocuments(id).ReleaseAsync(caller, documentId),
            decoy => decoy.ReleaseAsync(caller, nir, documentId),
            cancellationToken);

    private async Task<T> ResolveAsync<T>(Nir nir, Func<Guid, Task<T>> known, Func<IUnknownPatientGrain, Task<T>> unknown, CancellationToken cancellationToken)
    {
        if (await directory.FindByNirAsync(nir, cancellationToken) is { } spaceId)
        {
            return await known(spaceId);
        }

        // Spread over a few grains by the NIR's keyed hash: the same person always reaches the
        // same one, and a burst of guesses never queues behind a single activation.
        var hash = Convert.FromHexString(keys.LookupHash(KeyKind, nir.Value));
        var bucket = BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(16)) % Buckets;
        return await unknown(grains.GetGrain<IUnknownPatientGrain>(bucket));
    }
}
