using MonEspaceSante.Documents;
using MonEspaceSante.Identity;
using MonEspaceSante.Runtime;
using MonEspaceSante.Security;
using MonEspaceSante.Spaces;
using MonEspaceSante.Storage;
using Orleans.Concurrency;

namespace MonEspaceSante.Access;

/// <summary>
/// The unknown patient (<see cref="UnknownPatient"/>): the space's own access and document
/// code (<see cref="SpaceAccess"/>, <see cref="SpaceDocuments"/>) run on no state, under the NIR's
/// key, in a transaction of its own. It holds nothing between calls, so calls interleave
/// (reentrant) and its activations are few and cheap; with no state the code refuses as for a
/// space that does not exist, after the same validation, and the refusal counts for the
/// mass-access guard. Nothing else may be written: a call that tried would be a bug, and is
/// rolled back.
/// </summary>
[Reentrant]
public sealed class UnknownPatientGrain(GrainCalls calls, AccessServices access, DocumentServices documents, KeyRing keys) : Grain, IUnknownPatientGrain
{
    public Task<PatientMatch> FindAsync(Caller caller, Nir nir, PatientSearch search) =>
        Access(nir).FindAsync(caller, search);

    public Task<PatientMatch> OpenEmergencyAccessAsync(Caller caller, Nir nir, PatientSearch search, string reason) =>
        Access(nir).OpenEmergencyAccessAsync(caller, search, reason);

    public Task<UploadPermit> PrepareUploadAsync(Caller caller, Nir nir, DocumentDeclaration declaration, string? idempotencyKey, long? declaredLength) =>
        Documents(nir).PrepareUploadAsync(caller, declaration, idempotencyKey, declaredLength);

    public Task<DocumentInfo> ReleaseAsync(Caller caller, Nir nir, Guid documentId) =>
        Documents(nir).ReleaseAsync(caller, documentId);

    private SpaceAccess Access(Nir nir)
    {
        var key = UnknownPatient.KeyOf(keys, nir);
        return new SpaceAccess(key, access, new NoState(key, calls));
    }

    private SpaceDocuments Documents(Nir nir)
    {
        var key = UnknownPatient.KeyOf(keys, nir);
        return new SpaceDocuments(key, documents, new NoState(key, calls));
    }

    /// <summary>One call on no state: the transaction a space's call opens, with nothing to write but what the guard counts.</summary>
    private sealed class NoState(Guid key, GrainCalls calls) : IGrainCaller<PatientSpaceState>
    {
        public PatientSpaceState? Stored => null;

        public async Task<T> CallAsync<T>(Func<GrainContext<PatientSpaceState>, Task<T>> body, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(body);
            await using var transaction = (await GrainTransaction.BeginAsync(calls.Database, cancellationToken).ConfigureAwait(true)).Enlist();
            var context = new GrainContext<PatientSpaceState>(key.ToString(), null, 0, calls.Time.GetUtcNow(), transaction.Connection, transaction.Transaction);
            var result = await body(context).ConfigureAwait(true);
            if (context.Changed || context.Notifications.Count > 0 || context.Jobs.Count > 0 || context.Writes.Count > 0)
            {
                // Disposed uncommitted: rolled back.
                throw new InvalidOperationException("A call on the unknown patient tried to write.");
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(true);
            return context.FailureAfterCommit is { } failure ? throw failure : result;
        }
    }
}
