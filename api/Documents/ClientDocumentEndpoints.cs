using Orleans;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using MonEspaceSante.Api.OpenApi;
using MonEspaceSante.Api.Security;
using MonEspaceSante.Documents;
using MonEspaceSante.Access;
using MonEspaceSante.Errors;
using MonEspaceSante.Identity;
using MonEspaceSante.Spaces;

namespace MonEspaceSante.Api.Documents;

/// <summary>
/// Professionals' software (hospital, lab, practice systems) feeding documents. The patient is
/// named by INS (NIR and birth date) in the body, never in the URL; an unknown person and a
/// mismatching birth date get the same 404.
/// </summary>
public static class ClientDocumentEndpoints
{
    public static IEndpointRouteBuilder MapClientDocumentsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/clients/documents").WithTags("Professional software").RequireAuthorization(Roles.Client);

        group.MapPost("/", async Task<Results<Created<DocumentInfo>, Ok<DocumentInfo>>> (
            HttpContext http, ClaimsPrincipal user, UnknownPatient patients, IOptions<DocumentOptions> options,
            [FromHeader(Name = DocumentEndpoints.IdempotencyHeader)] string? idempotencyKey) =>
        {
            var upload = await UploadReader.ReadAsync<ClientDocumentMetadata>(http, options.Value.MaxSize);
            if (upload.Metadata.Document is not { } document || upload.Metadata.Patient is not { BirthDate: { } birthDate } patient)
            {
                throw new DomainException(DomainError.InvalidRequest, "metadata needs 'patient' (nir, birthDate) and 'document'.");
            }

            var nir = NirOf(patient);
            var declaration = document with { PatientBirthDate = birthDate, FileName = document.FileName ?? upload.FileName };
            var result = await patients.AddDocumentAsync(user.ToCaller(), nir, declaration, upload.Content, idempotencyKey, http.RequestAborted);
            return DocumentEndpoints.Respond(http, result, $"/api/clients/documents/{result.Document.Id}");
        }).WithName("SendDocument")
            .WithSummary("Send a document for a patient named by INS (multipart: metadata, then content)")
            .ProducesProblems(400, 403, 404, 409, 413, 415, 422).Accepts<ClientDocumentMetadata>("multipart/form-data");

        group.MapPost("/{id:guid}/release", (Guid id, ClientReleaseBody body, ClaimsPrincipal user, UnknownPatient patients, HttpContext http) =>
            patients.ReleaseAsync(user.ToCaller(), NirOf(body.Patient), id, http.RequestAborted)).WithName("ReleaseDocument").WithSummary("Let the patient see a document the software held back").ProducesProblems(400, 403, 404, 409);

        return routes;
    }

    /// <summary>
    /// The NIR the body names. An unknown person is answered by <see cref="UnknownPatient"/>,
    /// which validates the upload and then refuses it exactly as a space does for someone
    /// without a right.
    /// </summary>
    private static Nir NirOf(PatientReference? patient) =>
        patient is not null && Nir.TryParse(patient.Nir, out var nir) && patient.BirthDate is not null
            ? nir
            : throw new DomainException(DomainError.InvalidRequest, "patient.nir (a valid NIR) and patient.birthDate are required.");
}
