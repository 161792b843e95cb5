using Orleans;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using MonEspaceSante.Access;
using MonEspaceSante.Api.Documents;
using MonEspaceSante.Api.OpenApi;
using MonEspaceSante.Api.Security;
using MonEspaceSante.Documents;
using MonEspaceSante.Errors;
using MonEspaceSante.Identity;
using MonEspaceSante.Spaces;

namespace MonEspaceSante.Api.Care;

/// <summary>
/// What professionals (and their software acting for them) do with a patient's space: find the
/// patient, open emergency access, read the profile and documents, add documents. Every call
/// is decided, recorded and notified by the patient's grain; a refusal and an unknown patient
/// give the same 404. Rules: docs/access.md.
/// </summary>
public static class CareEndpoints
{
    public static IEndpointRouteBuilder MapCareApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/pro/patients").WithTags("Professionals").RequireAuthorization(Roles.Professional);

        // The INS is in the body, never in a URL (URLs end up in logs).
        group.MapPost("/search", (PatientSearch search, ClaimsPrincipal user, UnknownPatient patients, HttpContext http) =>
            patients.FindAsync(user.ToCaller(), NirOf(search), search, http.RequestAborted)).WithName("FindPatient")
            .WithSummary("Find a patient by INS, birth date and birth name, if I have access").ProducesProblems(400, 404, 409, 429);

        group.MapPost("/emergency", (EmergencyAccessBody body, ClaimsPrincipal user, UnknownPatient patients, HttpContext http) =>
        {
            if (body.Patient is not { } search || string.IsNullOrWhiteSpace(body.Reason))
            {
                throw new DomainException(DomainError.InvalidRequest, "patient (ins, birthDate, birthName) and a written reason are required.");
            }

            return patients.OpenEmergencyAccessAsync(user.ToCaller(), NirOf(search), search, body.Reason, http.RequestAborted);
        }).WithName("OpenEmergencyAccess")
            .WithSummary("Open emergency (break-glass) access to a patient's space, with a written reason").ProducesProblems(400, 404, 409, 429);

        group.MapGet("/{patientId:guid}/profile", async (Guid patientId, ClaimsPrincipal user, IGrainFactory grains) =>
        {
            var profile = await grains.GetPatientAccess(patientId).GetProfileAsync(user.ToCaller());
            // Only once access is granted: the patient's messaging address, their mailbox opened if need be.
            var mailbox = await grains.GetPatientMailbox(patientId).GetAsync(Caller.System);
            return profile with { MailboxAddress = mailbox.Address };
        }).WithName("GetPatientProfile").WithSummary("Read a patient's profile and messaging address").ProducesProblems(404, 409, 429);

        group.MapGet("/{patientId:guid}/documents", (Guid patientId, [AsParameters] DocumentQuery query, ClaimsPrincipal user, IGrainFactory grains) =>
            grains.GetPatientDocuments(patientId).ListAsync(user.ToCaller(), query.ToFilter()))
            .WithName("ListPatientDocuments")
            .WithSummary("List a patient's documents visible to me, filtered and paged").ProducesProblems(400, 404, 409, 429);

        group.MapGet("/{patientId:guid}/documents/{id:guid}", (Guid patientId, Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
            grains.GetPatientDocuments(patientId).GetAsync(user.ToCaller(), id)).WithName("GetPatientDocument")
                .WithSummary("Get the description of a patient's document").ProducesProblems(404, 409, 429);

        group.MapGet("/{patientId:guid}/documents/{id:guid}/content", async (Guid patientId, Guid id, HttpContext http, ClaimsPrincipal user, DocumentVault vault) =>
            DocumentEndpoints.Download(await vault.OpenAsync(patientId, user.ToCaller(), id, http.RequestAborted)))
            .WithName("DownloadPatientDocument")
            .WithSummary("Download a patient's document content (byte ranges supported)").ProducesProblems(404, 409, 416, 429, 500)
            .ProducesContent(ranges: true, ContentResponses.DocumentTypes);

        group.MapPost("/{patientId:guid}/documents", async Task<Results<Created<DocumentInfo>, Ok<DocumentInfo>>> (
            Guid patientId, HttpContext http, ClaimsPrincipal user, DocumentVault vault, IOptions<DocumentOptions> options,
            [FromHeader(Name = DocumentEndpoints.IdempotencyHeader)] string? idempotencyKey) =>
        {
            var upload = await UploadReader.ReadAsync<DocumentDeclaration>(http, options.Value.MaxSize);
            var declaration = upload.Metadata with { FileName = upload.Metadata.FileName ?? upload.FileName };
            var result = await vault.AddAsync(patientId, user.ToCaller(), declaration, upload.Content, idempotencyKey, http.RequestAborted);
            return DocumentEndpoints.Respond(http, result, $"/api/pro/patients/{patientId}/documents/{result.Document.Id}");
        }).WithName("AddPatientDocument")
            .WithSummary("Add a document to a patient's space (multipart: metadata, then content)")
            .ProducesProblems(400, 403, 404, 409, 413, 415, 422).Accepts<DocumentDeclaration>("multipart/form-data");

        group.MapPost("/{patientId:guid}/documents/{id:guid}/release", (Guid patientId, Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
            grains.GetPatientDocuments(patientId).ReleaseAsync(user.ToCaller(), id)).WithName("ReleasePatientDocument")
                .WithSummary("Let the patient see a document I held back").ProducesProblems(403, 404, 409);

        return routes;
    }

    /// <summary>
    /// The NIR the search names. An unknown person is answered by <see cref="UnknownPatient"/>,
    /// exactly as a space that refuses, so no answer, error or timing step tells whether the
    /// person has a space.
    /// </summary>
    private static Nir NirOf(PatientSearch search) =>
        Nir.TryParse(search.Ins, out var nir) && !string.IsNullOrWhiteSpace(search.BirthName) && search.BirthDate != default
            ? nir
            : throw new DomainException(DomainError.InvalidRequest, "ins (a valid NIR), birthDate and birthName are required.");
}
