using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace MonEspaceSante.Bench.SameWork;

/// <summary>
/// A document upload by professionals' software, doing what the rules require and nothing else:
/// find the patient's space by the keyed hash of the NIR with the birth date as a check (and its
/// wrapped data key), encrypt and hash the content into the store, then in one transaction the
/// document row, the space's access-history entry chained on the previous one (the head row is
/// moved and locked, so appends to a space queue and the chain never forks) and the patient's
/// notification at the next sequence of their feed.
/// </summary>
internal sealed class SameWorkDocuments(NpgsqlDataSource dataSource, SameWorkKeys keys, SameWorkContent content)
{
    public async Task<IResult> UploadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (SameWorkMultipart.Open(request) is not { } reader)
        {
            return Results.BadRequest();
        }

        using var metadata = await SameWorkMultipart.ReadJsonAsync(reader, cancellationToken);
        var root = metadata?.RootElement ?? default;
        var patient = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("patient", out var p) ? p : default;
        var document = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("document", out var d) ? d : default;
        var author = document.ValueKind == JsonValueKind.Object && document.TryGetProperty("author", out var a) ? a : default;
        var rpps = request.Headers["X-Acting-For"].ToString();
        if (patient.Text("nir") is not { } nir || patient.Text("birthDate") is not { } birthDate || document.Text("typeCode") is not { } typeCode
            || document.Text("title") is not { } title || document.Text("clinicalDate") is not { } clinicalDate || rpps.Length == 0)
        {
            return Results.BadRequest();
        }

        string spaceId;
        byte[] dataKey;
        await using (var find = dataSource.CreateCommand("select space_id, wrapped_key from same_spaces where nir_hash = $1 and birth_date = $2"))
        {
            find.Parameters.AddWithValue(keys.NirHash(nir));
            find.Parameters.AddWithValue(birthDate);
            await using var found = await find.ExecuteReaderAsync(cancellationToken);
            if (!await found.ReadAsync(cancellationToken))
            {
                return Results.NotFound();
            }

            spaceId = found.GetString(0);
            dataKey = keys.Unwrap("space:" + spaceId, found.GetString(1));
        }

        if (await SameWorkMultipart.NextFileAsync(reader, cancellationToken) is not { } file)
        {
            return Results.BadRequest();
        }

        var documentId = Guid.NewGuid().ToString();
        var contentKey = $"{spaceId}/{documentId}";
        var (size, sha256) = await content.StoreAsync(file.Body, dataKey, contentKey, cancellationToken);
        if (size == 0)
        {
            return Results.BadRequest();
        }

        try
        {
            await CommitAsync(spaceId, documentId, contentKey, size, sha256, typeCode, title, clinicalDate, document.Text("sourceSoftware"),
                author.Text("kind") ?? "Professional", author.Text("id"), author.Text("name"), file.FileName, rpps, cancellationToken);
        }
        catch
        {
            content.Delete(contentKey);
            throw;
        }

        return TypedResults.Created($"{SameWorkServer.DocumentsRoute}/{documentId}", new Created(documentId, spaceId, size, sha256));
    }

    private async Task CommitAsync(string spaceId, string documentId, string contentKey, long size, string sha256, string typeCode, string title, string clinicalDate,
        string? sourceSoftware, string authorKind, string? authorId, string? authorName, string? fileName, string rpps, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Round trip 1: the space's history head moved and locked, which gives the entry's
        // sequence and the hash it chains to, and the document row. The head comes first: the
        // reader starts on its result.
        long seq;
        string previous;
        await using (var first = new NpgsqlBatch(connection, transaction))
        {
            first.BatchCommands.Add(SameWorkSql.Command(
                "insert into same_access_history_heads (space_id, seq, hash) values ($1, 1, $2) on conflict (space_id) do update set seq = same_access_history_heads.seq + 1 returning seq, hash",
                spaceId, SameWorkHistory.Genesis));
            first.BatchCommands.Add(SameWorkSql.Command(
                "insert into same_documents (space_id, document_id, type_code, title, clinical_date, author_kind, author_id, author_name, source_software, file_name, size, sha256, content_key, uploaded_by, added_at_ms) " +
                "values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
                spaceId, documentId, typeCode, title, clinicalDate, authorKind, authorId, authorName, sourceSoftware, fileName, size, sha256, contentKey, rpps, now));
            await using var reader = await first.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            (seq, previous) = (reader.GetInt64(0), reader.GetString(1));
            // Reads the insert's outcome, so a failure shows here rather than at the next batch.
            while (await reader.NextResultAsync(cancellationToken))
            {
            }
        }

        // Round trip 2: the chained entry, the head's new hash, the patient's notification.
        var entryId = Guid.NewGuid().ToString();
        var hash = SameWorkHistory.HashOf(keys.HistoryKey, spaceId, seq, entryId, now, rpps, "software", "AddDocument", documentId, "Allowed", previous);
        await using (var second = new NpgsqlBatch(connection, transaction))
        {
            second.BatchCommands.Add(SameWorkSql.Command(
                "insert into same_access_history (space_id, seq, entry_id, at_ms, rpps, via, action, target, outcome, prev_hash, hash) values ($1, $2, $3, $4, $5, 'software', 'AddDocument', $6, 'Allowed', $7, $8)",
                spaceId, seq, entryId, now, rpps, documentId, previous, hash));
            second.BatchCommands.Add(SameWorkSql.Command("update same_access_history_heads set hash = $2 where space_id = $1", spaceId, hash));
            second.BatchCommands.Add(SameWorkFeed.Notify(spaceId, "document.added", JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["documentId"] = documentId,
                ["authorKind"] = authorKind,
                ["author"] = authorName ?? "",
            }), now));
            await second.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private sealed record Created(string Id, string SpaceId, long Size, string Sha256);
}
