using System.Globalization;
using Dapper;
using Microsoft.AspNetCore.Identity;
using MonEspaceSante.Errors;
using MonEspaceSante.Identity;
using MonEspaceSante.Mail;
using MonEspaceSante.Runtime;
using MonEspaceSante.Security;

namespace MonEspaceSante.Spaces;

/// <summary>The patient's account settings: devices, password, login e-mail and e-mail alerts.</summary>
public sealed partial class SpaceLifecycle
{
    public const string NewDeviceKind = "security.new-device";
    public const string PasswordChangedKind = "security.password-changed";
    public const string EmailChangedKind = "security.email-changed";
    private const string DeviceScope = "device";
    private const string EmailChangeScope = "email-change";

    /// <summary>How many devices are remembered; the oldest is forgotten first.</summary>
    internal const int MaxKnownDevices = 10;

    public Task ChangePasswordAsync(Caller caller, string currentPassword, string newPassword, string? currentSessionToken)
    {
        if (!PasswordPolicy.IsAcceptable(newPassword))
        {
            throw new DomainException(DomainError.WeakPassword, $"Use {PasswordPolicy.MinLength} to {PasswordPolicy.MaxLength} characters with at least three of: lower case, upper case, digits, symbols.");
        }

        return CallAsync(async ctx =>
        {
            var state = RequireActiveOwner(ctx, caller);
            if (!PasswordMatches(ctx, state, currentPassword))
            {
                return false;
            }

            state.PasswordHash = services.Passwords.HashPassword(state, newPassword);
            ctx.Write(state, state.Status.ToString(), DueAt(state));
            // Whoever knew the old password may hold a session: every other session ends now.
            await ctx.Connection.ExecuteAsync(
                "delete from sessions where space_id = @space and token_hash <> @current",
                new { space = spaceId.ToString(), current = currentSessionToken is null ? "" : OneTimeCode.Sha256(currentSessionToken) },
                ctx.Transaction);
            ctx.Notify(spaceId.ToString(), PasswordChangedKind, Payload(("at", ctx.Now.ToString("O", CultureInfo.InvariantCulture))));
            ctx.Enqueue(services.Mail.Job(AccountMails.PasswordChanged(state.Email!, ctx.Now), ctx.Now));
            return true;
        });
    }

    public Task<EmailChangeChallenge> RequestEmailChangeAsync(Caller caller, string password, string newEmail)
    {
        var email = EmailAddress.Normalize(newEmail) ?? throw new DomainException(DomainError.InvalidEmail);
        return CallAsync(async ctx =>
        {
            var state = RequireActiveOwner(ctx, caller);
            if (!PasswordMatches(ctx, state, password))
            {
                return null!;
            }

            if (string.Equals(email, state.Email, StringComparison.Ordinal))
            {
                throw new DomainException(DomainError.InvalidRequest, "This is already the login e-mail address.");
            }

            // Checked now for a clear answer; claimed for good only at confirmation.
            if (await SpaceDirectory.FindAsync(ctx.Connection, ctx.Transaction, SpaceDirectory.EmailKind, services.Directory.EmailKey(email)) is { } owner
                && owner != spaceId)
            {
                throw new DomainException(DomainError.EmailTaken);
            }

            var code = OneTimeCode.NewDigits();
            state.PendingEmail = email;
            state.EmailChallengeId = Guid.NewGuid();
            state.EmailChallengeCodeHash = services.Keys.CodeHash(EmailChangeScope, $"{state.EmailChallengeId}:{email}:{code}");
            state.EmailChallengeExpiresAt = ctx.Now + Options.ChallengeLifetime;
            state.EmailChallengeAttempts = 0;
            ctx.Write(state, state.Status.ToString(), DueAt(state));
            ctx.Enqueue(services.Mail.Job(AccountMails.EmailChangeCode(email, code), ctx.Now));
            return new EmailChangeChallenge(state.EmailChallengeId.Value, state.EmailChallengeExpiresAt.Value);
        });
    }

    public Task<SpaceSummary> ConfirmEmailChangeAsync(Caller caller, Guid challengeId, string code) =>
        CallAsync(async ctx =>
        {
            var state = RequireActiveOwner(ctx, caller);
            if (state is not { EmailChallengeId: { } current, EmailChallengeExpiresAt: { } expires, PendingEmail: { } pending } || current != challengeId || expires <= ctx.Now)
            {
                throw new DomainException(DomainError.SecondFactorRefused);
            }

            if (!services.Keys.CodeMatches(EmailChangeScope, $"{current}:{pending}:{(code ?? "").Trim()}", state.EmailChallengeCodeHash))
            {
                state.EmailChallengeAttempts++;
                if (state.EmailChallengeAttempts >= Options.MaxChallengeAttempts)
                {
                    ClearEmailChallenge(state);
                }

                ctx.Write(state, state.Status.ToString(), DueAt(state));
                ctx.FailAfterCommit(DomainError.SecondFactorRefused);
                return null!;
            }

            if (!await SpaceDirectory.ClaimAsync(ctx.Connection, ctx.Transaction, SpaceDirectory.EmailKind, services.Directory.EmailKey(pending), spaceId))
            {
                throw new DomainException(DomainError.EmailTaken);
            }

            var old = state.Email!;
            await SpaceDirectory.ReleaseAsync(ctx.Connection, ctx.Transaction, SpaceDirectory.EmailKind, services.Directory.EmailKey(old), spaceId);
            state.Email = pending;
            ClearEmailChallenge(state);
            ctx.Write(state, state.Status.ToString(), DueAt(state));
            ctx.Notify(spaceId.ToString(), EmailChangedKind, Payload(("at", ctx.Now.ToString("O", CultureInfo.InvariantCulture)), ("email", EmailAddress.Mask(pending))));
            // The old address is told too: if the change was not the patient's, they learn it there.
            ctx.Enqueue(services.Mail.Job(AccountMails.EmailChangedOld(old, EmailAddress.Mask(pending), ctx.Now), ctx.Now));
            ctx.Enqueue(services.Mail.Job(AccountMails.EmailChangedNew(pending), ctx.Now));
            return Summary(state);
        });

    public Task<AlertPreferences> GetAlertPreferencesAsync(Caller caller) =>
        CallAsync(ctx => Task.FromResult(Preferences(RequireHolder(ctx, caller, spaceId))));

    public Task<AlertPreferences> SetAlertPreferencesAsync(Caller caller, AlertPreferences preferences)
    {
        ArgumentNullException.ThrowIfNull(preferences);
        return CallAsync(ctx =>
        {
            var state = RequireActiveOwner(ctx, caller);
            state.MessageAlertsOff = !preferences.Messages;
            state.DocumentAlertsOff = !preferences.Documents;
            ctx.Write(state, state.Status.ToString(), DueAt(state));
            return Task.FromResult(Preferences(state));
        });
    }

    internal static AlertPreferences Preferences(PatientSpaceState state) => new(!state.MessageAlertsOff, !state.DocumentAlertsOff);

    /// <summary>
    /// True when <paramref name="deviceToken"/> is not one this space has seen; then a new device
    /// token is issued and remembered (as a keyed hash) in its place.
    /// </summary>
    private bool RecognizeDevice(PatientSpaceState state, string? deviceToken, out string? issued)
    {
        state.KnownDevices ??= [];
        if (deviceToken is { Length: > 0 and <= 128 })
        {
            var hash = services.Keys.CodeHash(DeviceScope, $"{spaceId}:{deviceToken}");
            var index = state.KnownDevices.IndexOf(hash);
            if (index >= 0)
            {
                // Most recently used last, so the one forgotten first is the longest unused.
                state.KnownDevices.RemoveAt(index);
                state.KnownDevices.Add(hash);
                issued = null;
                return false;
            }
        }

        issued = OneTimeCode.NewToken();
        state.KnownDevices.Add(services.Keys.CodeHash(DeviceScope, $"{spaceId}:{issued}"));
        if (state.KnownDevices.Count > MaxKnownDevices)
        {
            state.KnownDevices.RemoveRange(0, state.KnownDevices.Count - MaxKnownDevices);
        }

        return true;
    }

    /// <summary>The owner's state while the space is active: settings of a closed space are frozen.</summary>
    private PatientSpaceState RequireActiveOwner(GrainContext<PatientSpaceState> ctx, Caller caller)
    {
        var state = RequireHolder(ctx, caller, spaceId);
        return state.Status switch
        {
            SpaceStatus.Active when state.PasswordHash is not null && state.Email is not null => state,
            SpaceStatus.Closed => throw new DomainException(DomainError.SpaceClosed),
            _ => throw new DomainException(DomainError.InvalidState),
        };
    }

    /// <summary>
    /// Re-confirms the password for a sensitive change. A wrong one counts toward the login
    /// lock-out (committed), so a stolen session cannot be used to guess the password.
    /// </summary>
    private bool PasswordMatches(GrainContext<PatientSpaceState> ctx, PatientSpaceState state, string? password)
    {
        if (state.LockedOutUntil > ctx.Now)
        {
            throw new DomainException(DomainError.AccountLocked, retryAfter: state.LockedOutUntil - ctx.Now);
        }

        if (services.Passwords.VerifyHashedPassword(state, state.PasswordHash!, password ?? "") != PasswordVerificationResult.Failed)
        {
            state.FailedLogins = 0;
            return true;
        }

        RefuseWrongPassword(ctx, state);
        return false;
    }

    /// <summary>
    /// Counts a wrong password (locking the login after too many), commits that, and refuses.
    /// Shared by the login and by the settings that re-ask the password.
    /// </summary>
    private void RefuseWrongPassword(GrainContext<PatientSpaceState> ctx, PatientSpaceState state)
    {
        state.FailedLogins++;
        var locked = state.FailedLogins >= Options.MaxLoginFailures;
        if (locked)
        {
            state.FailedLogins = 0;
            state.LockedOutUntil = ctx.Now + Options.LoginLockout;
            ctx.Notify(spaceId.ToString(), "security.account-locked", Payload(("until", state.LockedOutUntil.Value.ToString("O", CultureInfo.InvariantCulture))));
        }

        ctx.Write(state, state.Status.ToString(), DueAt(state));
        ctx.FailAfterCommit(locked ? DomainError.AccountLocked : DomainError.LoginRefused, locked ? state.LockedOutUntil - ctx.Now : null);
    }

    private static void ClearEmailChallenge(PatientSpaceState state)
    {
        state.PendingEmail = null;
        state.EmailChallengeId = null;
        state.EmailChallengeCodeHash = null;
        state.EmailChallengeExpiresAt = null;
        state.EmailChallengeAttempts = 0;
    }
}
