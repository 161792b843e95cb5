using Orleans;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using MonEspaceSante.Api.Accounts;
using MonEspaceSante.Api.OpenApi;
using MonEspaceSante.Api.Security;
using MonEspaceSante.Spaces;
using MonEspaceSante.Errors;

namespace MonEspaceSante.Api.Patients;

/// <summary>
/// The patient's account settings: password, login e-mail (confirmed by a code sent to the new
/// address, the old one told), and which e-mail alerts they want. Changes that could take over
/// the account re-ask the password and share the anonymous flows' per-address rate limit.
/// </summary>
public static class AccountSettingsEndpoints
{
    public static IEndpointRouteBuilder MapAccountSettingsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/me").WithTags("Patient").RequireAuthorization(Roles.Patient);

        group.MapPost("/password", async Task<Results<NoContent, ProblemHttpResult>> (ClaimsPrincipal user, ChangePasswordBody body, HttpContext http, IGrainFactory grains) =>
        {
            if (string.IsNullOrEmpty(body.CurrentPassword) || string.IsNullOrEmpty(body.NewPassword))
            {
                throw new DomainException(DomainError.InvalidRequest, "currentPassword and newPassword are required.");
            }

            await grains.GetPatientSpace(user.SpaceId()).ChangePasswordAsync(user.ToCaller(), body.CurrentPassword, body.NewPassword, BearerToken(http));
            return TypedResults.NoContent();
        }).RequireRateLimiting(AccountEndpoints.RateLimitPolicy).WithName("ChangeMyPassword")
            .WithSummary("Change my password, confirming the current one").ProducesProblems(400, 401, 404, 409, 423);

        group.MapPost("/email", async Task<Results<Accepted<EmailChangeChallenge>, ProblemHttpResult>> (ClaimsPrincipal user, EmailChangeBody body, IGrainFactory grains) =>
        {
            if (string.IsNullOrEmpty(body.Password) || string.IsNullOrEmpty(body.NewEmail))
            {
                throw new DomainException(DomainError.InvalidRequest, "password and newEmail are required.");
            }

            var challenge = await grains.GetPatientSpace(user.SpaceId()).RequestEmailChangeAsync(user.ToCaller(), body.Password, body.NewEmail);
            return TypedResults.Accepted((string?)null, challenge);
        }).RequireRateLimiting(AccountEndpoints.RateLimitPolicy).WithName("RequestMyEmailChange")
            .WithSummary("Ask to change my login e-mail: a code is sent to the new address").ProducesProblems(400, 401, 404, 409, 423);

        group.MapPost("/email/confirm", async Task<Results<Ok<SpaceSummary>, ProblemHttpResult>> (ClaimsPrincipal user, EmailConfirmBody body, IGrainFactory grains) =>
        {
            if (body.ChallengeId is null || string.IsNullOrEmpty(body.Code))
            {
                throw new DomainException(DomainError.InvalidRequest, "challengeId and code are required.");
            }

            return TypedResults.Ok(await grains.GetPatientSpace(user.SpaceId()).ConfirmEmailChangeAsync(user.ToCaller(), body.ChallengeId.Value, body.Code));
        }).RequireRateLimiting(AccountEndpoints.RateLimitPolicy).WithName("ConfirmMyEmailChange")
            .WithSummary("Confirm my new login e-mail with the code sent to it").ProducesProblems(400, 401, 404, 409);

        group.MapGet("/alerts", (ClaimsPrincipal user, IGrainFactory grains) =>
            grains.GetPatientSpace(user.SpaceId()).GetAlertPreferencesAsync(user.ToCaller())).WithName("GetMyAlertPreferences")
                .WithSummary("Get which e-mail alerts I receive").ProducesProblems(404);

        group.MapPut("/alerts", async Task<Results<Ok<AlertPreferences>, ProblemHttpResult>> (ClaimsPrincipal user, AlertPreferencesBody body, IGrainFactory grains) =>
        {
            if (body.Messages is null || body.Documents is null)
            {
                throw new DomainException(DomainError.InvalidRequest, "messages and documents (true or false) are required.");
            }

            if (body.Security == false)
            {
                throw new DomainException(DomainError.InvalidRequest, "Security alerts (new device, password or e-mail change, emergency access) cannot be turned off.");
            }

            return TypedResults.Ok(await grains.GetPatientSpace(user.SpaceId()).SetAlertPreferencesAsync(user.ToCaller(), new AlertPreferences(body.Messages.Value, body.Documents.Value)));
        }).WithName("SetMyAlertPreferences")
            .WithSummary("Choose which e-mail alerts I receive (security alerts stay on)").ProducesProblems(400, 404, 409);

        return routes;
    }

    private static string? BearerToken(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }
}
