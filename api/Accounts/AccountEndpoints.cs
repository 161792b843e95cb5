using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using MonEspaceSante.Api.OpenApi;
using MonEspaceSante.Api.Problems;
using MonEspaceSante.Identity;
using MonEspaceSante.Sessions;
using MonEspaceSante.Spaces;
using MonEspaceSante.Errors;

namespace MonEspaceSante.Api.Accounts;

/// <summary>Activation, opposition, new codes and login: the anonymous flows, all rate limited per client address.</summary>
public static class AccountEndpoints
{
    public const string RateLimitPolicy = "account-flows";

    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api").WithTags("Accounts").RequireRateLimiting(RateLimitPolicy);

        group.MapPost("/activation", async Task<Results<Ok<SpaceSummary>, ProblemHttpResult>> (ActivationBody body, AccountService accounts, HttpContext http) =>
        {
            if (!Nir.TryParse(body.Nir, out var nir) || body.Code is null || body.VitaleSerial is null || body.CardType is null || body.Email is null || body.Password is null)
            {
                throw new DomainException(DomainError.InvalidRequest, "code, nir (15 characters), vitaleSerial, cardType, email and password are required.");
            }

            var summary = await accounts.ActivateAsync(new ActivationRequest(body.Code, nir, body.VitaleSerial, body.CardType.Value, body.Email, body.Password, ClientAddress(http)));
            return TypedResults.Ok(summary);
        }).WithName("Activate").WithSummary("Activate a space with its activation code, Vitale card and new credentials").ProducesProblems(400, 409);

        group.MapPost("/opposition", async Task<Results<Ok<OppositionResponse>, ProblemHttpResult>> (OppositionBody body, AccountService accounts, HttpContext http) =>
        {
            if (!Nir.TryParse(body.Nir, out var nir) || body.Code is null)
            {
                throw new DomainException(DomainError.InvalidRequest, "code and nir (15 characters) are required.");
            }

            var result = await accounts.OpposeAsync(new OppositionRequest(body.Code, nir, ClientAddress(http)));
            return TypedResults.Ok(new OppositionResponse(result.Reference, result.OpposedAt, result.ProofToken));
        }).WithName("Oppose").WithSummary("Oppose the creation of a space, with its activation code").ProducesProblems(400, 409);

        // POST, not GET: the proof token is a secret and must not travel in a URL.
        group.MapPost("/opposition/proof", async Task<Results<FileContentHttpResult, ProblemHttpResult>> (ProofBody body, AccountService accounts) =>
        {
            if (!Nir.TryParse(body.Nir, out var nir) || string.IsNullOrEmpty(body.ProofToken))
            {
                throw new DomainException(DomainError.InvalidRequest, "nir and proofToken are required.");
            }

            var pdf = await accounts.GetOppositionProofAsync(nir, body.ProofToken);
            return TypedResults.File(pdf, "application/pdf", "attestation-opposition.pdf");
        }).WithName("OppositionProof").WithSummary("Download the PDF proof of an opposition, with its proof token").ProducesProblems(400, 404)
            .ProducesContent(ranges: false, "application/pdf");

        // Always 202 with the same body: the answer must not tell whether the person has a space.
        group.MapPost("/activation/new-code", async Task<Results<Accepted, ProblemHttpResult>> (NewCodeBody body, AccountService accounts) =>
        {
            if (!Nir.TryParse(body.Nir, out var nir) || body.VitaleSerial is null || body.BirthDate is null)
            {
                throw new DomainException(DomainError.InvalidRequest, "nir, vitaleSerial and birthDate are required.");
            }

            await accounts.RequestNewCodeAsync(new NewCodeRequest(nir, body.VitaleSerial, body.BirthDate.Value));
            return TypedResults.Accepted((string?)null);
        }).WithName("RequestNewCode")
            .WithSummary("Ask for a new activation code by post (always accepted: the answer does not tell whether the person has a space)")
            .ProducesProblems(400);

        group.MapPost("/auth/login", async Task<Results<Ok<LoginChallengeResponse>, ProblemHttpResult>> (LoginBody body, AccountService accounts, HttpContext http) =>
        {
            if (body.Email is null || body.Password is null)
            {
                throw new DomainException(DomainError.InvalidRequest, "email and password are required.");
            }

            var challenge = await accounts.BeginLoginAsync(body.Email, body.Password, ClientAddress(http));
            return TypedResults.Ok(new LoginChallengeResponse(challenge.ChallengeId, challenge.ExpiresAt, "email"));
        }).WithName("Login").WithSummary("Check e-mail and password, then e-mail a one-time code").ProducesProblems(400, 401, 409, 423);

        group.MapPost("/auth/login/verify", async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> (VerifyBody body, AccountService accounts) =>
        {
            if (body.Email is null || body.ChallengeId is null || body.Code is null)
            {
                throw new DomainException(DomainError.InvalidRequest, "email, challengeId and code are required.");
            }

            var grant = await accounts.CompleteLoginAsync(body.Email, body.ChallengeId.Value, body.Code, body.DeviceToken);
            return TypedResults.Ok(new SessionResponse(grant.Token, "Bearer", grant.ExpiresAt, grant.DeviceToken));
        }).WithName("VerifyLogin").WithSummary("Exchange the e-mailed one-time code for a session token").ProducesProblems(400, 401, 409);

        routes.MapPost("/api/auth/logout", async Task<NoContent> (HttpContext http, SessionStore sessions) =>
        {
            var header = http.Request.Headers.Authorization.ToString();
            await sessions.RevokeAsync(header["Bearer ".Length..].Trim(), http.RequestAborted);
            return TypedResults.NoContent();
        }).WithTags("Accounts").RequireAuthorization(Security.Roles.Patient).WithName("Logout").WithSummary("End the current session");

        return routes;
    }

    private static string? ClientAddress(HttpContext http) => http.Connection.RemoteIpAddress?.ToString();
}
