using Microsoft.AspNetCore.Identity;
using MonEspaceSante.Errors;
using MonEspaceSante.Identity;

namespace MonEspaceSante.Spaces;

/// <summary>
/// The anonymous account flows: they find the space by NIR or e-mail, then call its grain.
/// An unknown NIR or e-mail gets exactly the refusal a wrong factor would, after the same work
/// (a password hash is verified either way), so the answers do not reveal who has a space.
/// </summary>
public sealed class AccountService(IGrainFactory grains, SpaceDirectory directory, IPasswordHasher<PatientSpaceState> passwords)
{
    private readonly Lazy<string> decoyHash = new(() => passwords.HashPassword(new PatientSpaceState(), Guid.NewGuid().ToString()));

    public async Task<SpaceSummary> ActivateAsync(ActivationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = await directory.FindByNirAsync(request.Nir).ConfigureAwait(false) ?? throw new DomainException(DomainError.ActivationRefused);
        return await grains.GetPatientSpace(id).ActivateAsync(request).ConfigureAwait(false);
    }

    public async Task<OppositionResult> OpposeAsync(OppositionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = await directory.FindByNirAsync(request.Nir).ConfigureAwait(false) ?? throw new DomainException(DomainError.OppositionRefused);
        return await grains.GetPatientSpace(id).OpposeAsync(request).ConfigureAwait(false);
    }

    public async Task<byte[]> GetOppositionProofAsync(Nir nir, string proofToken)
    {
        var id = await directory.FindByNirAsync(nir).ConfigureAwait(false) ?? throw new DomainException(DomainError.NotFound);
        return await grains.GetPatientSpace(id).GetOppositionProofAsync(proofToken).ConfigureAwait(false);
    }

    public async Task RequestNewCodeAsync(NewCodeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await directory.FindByNirAsync(request.Nir).ConfigureAwait(false) is { } id)
        {
            await grains.GetPatientSpace(id).RequestNewCodeAsync(request).ConfigureAwait(false);
        }
    }

    public async Task<LoginChallenge> BeginLoginAsync(string email, string password, string? clientAddress)
    {
        var id = await FindByEmailAsync(email).ConfigureAwait(false);
        if (id is null)
        {
            passwords.VerifyHashedPassword(new PatientSpaceState(), decoyHash.Value, password ?? "");
            throw new DomainException(DomainError.LoginRefused);
        }

        return await grains.GetPatientSpace(id.Value).BeginLoginAsync(password, clientAddress).ConfigureAwait(false);
    }

    public async Task<SessionGrant> CompleteLoginAsync(string email, Guid challengeId, string code, string? deviceToken = null)
    {
        var id = await FindByEmailAsync(email).ConfigureAwait(false) ?? throw new DomainException(DomainError.SecondFactorRefused);
        return await grains.GetPatientSpace(id).CompleteLoginAsync(challengeId, code, deviceToken).ConfigureAwait(false);
    }

    private async Task<Guid?> FindByEmailAsync(string email) =>
        EmailAddress.Normalize(email) is { } normalized ? await directory.FindByEmailAsync(normalized).ConfigureAwait(false) : null;
}
