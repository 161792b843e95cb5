using System.Data.Common;
using Dapper;
using MonEspaceSante.Identity;
using MonEspaceSante.Security;
using MonEspaceSante.Storage;

namespace MonEspaceSante.Spaces;

/// <summary>
/// Finds a space by NIR or login e-mail. Keys are keyed hashes, so the directory alone reveals
/// neither NIRs nor addresses.
/// </summary>
public sealed class SpaceDirectory(IDatabase database, KeyRing keys)
{
    public const string NirKind = "nir";
    public const string EmailKind = "email";

    public string NirKey(Nir nir) => keys.LookupHash(NirKind, nir.Value);

    /// <summary>The same key through a reused hasher (<see cref="KeyRing.CreateLookupHasher"/>), for bulk paths.</summary>
    public static string NirKey(KeyedHasher lookup, Nir nir)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        return lookup.Hash(NirKind, nir.Value);
    }

    public string EmailKey(string normalizedEmail) => keys.LookupHash(EmailKind, normalizedEmail);

    public Task<Guid?> FindByNirAsync(Nir nir, CancellationToken cancellationToken = default) => FindAsync(NirKind, NirKey(nir), cancellationToken);

    public Task<Guid?> FindByEmailAsync(string normalizedEmail, CancellationToken cancellationToken = default) =>
        FindAsync(EmailKind, EmailKey(normalizedEmail), cancellationToken);

    /// <summary>Claims a key for a grain inside the caller's transaction. False when another grain holds it.</summary>
    public static async Task<bool> ClaimAsync(DbConnection connection, DbTransaction transaction, string kind, string key, Guid grainId)
    {
        var id = grainId.ToString();
        await connection.ExecuteAsync(
            "insert into directory (kind, key, grain_id) values (@kind, @key, @id) on conflict (kind, key) do nothing",
            new { kind, key, id },
            transaction).ConfigureAwait(false);
        var holder = await connection.ExecuteScalarAsync<string>(
            "select grain_id from directory where kind = @kind and key = @key", new { kind, key }, transaction).ConfigureAwait(false);
        return holder == id;
    }

    public static Task ReleaseAsync(DbConnection connection, DbTransaction transaction, string kind, string key, Guid grainId) =>
        connection.ExecuteAsync(
            "delete from directory where kind = @kind and key = @key and grain_id = @id",
            new { kind, key, id = grainId.ToString() },
            transaction);

    private async Task<Guid?> FindAsync(string kind, string key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await FindAsync(connection, null, kind, key, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The same look-up inside a grain call's transaction.</summary>
    public static async Task<Guid?> FindAsync(DbConnection connection, DbTransaction? transaction, string kind, string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var id = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            "select grain_id from directory where kind = @kind and key = @key", new { kind, key }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return id is null ? null : Guid.Parse(id);
    }
}
