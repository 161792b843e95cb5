using Microsoft.Extensions.DependencyInjection;
using System.Data.Common;
using Dapper;
using MonEspaceSante.Security;
using MonEspaceSante.Spaces;
using MonEspaceSante.Storage;

namespace MonEspaceSante.Sessions;

/// <summary>Patients' bearer sessions: opaque random tokens, stored as SHA-256, revocable at once on every silo.</summary>
public sealed class SessionStore(IDatabase database, [FromKeyedServices(PlatformClock.Key)] TimeProvider time)
{
    public static async Task<SessionGrant> CreateAsync(DbConnection connection, DbTransaction transaction, Guid spaceId, DateTimeOffset now, TimeSpan lifetime)
    {
        var token = OneTimeCode.NewToken();
        var expires = now + lifetime;
        await connection.ExecuteAsync(
            "insert into sessions (token_hash, space_id, created_at_ms, expires_at_ms) values (@hash, @space, @now, @expires)",
            new { hash = OneTimeCode.Sha256(token), space = spaceId.ToString(), now = now.ToUnixTimeMilliseconds(), expires = expires.ToUnixTimeMilliseconds() },
            transaction).ConfigureAwait(false);
        return new SessionGrant(spaceId, expires, token);
    }

    /// <summary>The space a live token belongs to, or null.</summary>
    public async Task<Guid?> ValidateAsync(string token, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var space = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            "select space_id from sessions where token_hash = @hash and expires_at_ms > @now",
            new { hash = OneTimeCode.Sha256(token), now = time.GetUtcNow().ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return space is null ? null : Guid.Parse(space);
    }

    public async Task RevokeAsync(string token, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "delete from sessions where token_hash = @hash", new { hash = OneTimeCode.Sha256(token) }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}
