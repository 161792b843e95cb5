using Microsoft.Extensions.DependencyInjection;
using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using MonEspaceSante.Identity;

namespace MonEspaceSante.Api.Security;

/// <summary>An access token from the test issuer, and when it stops being accepted.</summary>
public sealed record TestIssuerToken(string AccessToken, DateTimeOffset ExpiresAt);

/// <summary>
/// Signs professionals' access tokens the way Pro Santé Connect would (RS256, the national id in
/// the RPPS claim), with a key made at startup and never written anywhere (restarting the silo
/// invalidates every token it issued), or, with a key file, one key shared by the silos of a
/// development deployment. Exists only when enabled, and never in Production.
/// </summary>
public sealed class TestIssuer : IDisposable
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(1);

    private readonly RSA rsa = RSA.Create(2048);
    private readonly TestIssuerOptions options;
    private readonly ProfessionalOidcOptions oidc;
    private readonly TimeProvider time;

    public TestIssuer(IOptions<TestIssuerOptions> options, IOptions<ProfessionalOidcOptions> oidc, IHostEnvironment environment, [FromKeyedServices(PlatformClock.Key)] TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(oidc);
        ArgumentNullException.ThrowIfNull(environment);
        // Second line of defence behind the startup check: nothing can build one unless enabled, nor in Production.
        if (!options.Value.Enabled)
        {
            throw new InvalidOperationException($"The test issuer is off ({TestIssuerOptions.Section}:Enabled).");
        }

        TestIssuerGuard.ThrowIfNotAllowed(options.Value, environment);
        this.options = options.Value;
        this.oidc = oidc.Value;
        this.time = time;
        if (options.Value.KeyFile is { Length: > 0 } keyFile)
        {
            LoadOrCreate(rsa, keyFile);
        }

        // Named after the public key, so every silo sharing the key file names it alike.
        var publicKey = SHA256.HashData(rsa.ExportSubjectPublicKeyInfo());
        SigningKey = new RsaSecurityKey(rsa) { KeyId = "test-issuer-" + Convert.ToHexString(publicKey, 0, 8).ToLowerInvariant() };
    }

    public string Issuer => options.Issuer;

    private static void LoadOrCreate(RSA rsa, string keyFile)
    {
        if (!File.Exists(keyFile))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(keyFile))!);
            var pem = rsa.ExportPkcs8PrivateKeyPem();
            try
            {
                // CreateNew: of several silos starting at once, one writes and the others read its key.
                using var stream = new FileStream(keyFile, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(stream.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }

                using var writer = new StreamWriter(stream);
                writer.Write(pem);
                return;
            }
            catch (IOException) when (File.Exists(keyFile))
            {
            }
        }

        rsa.ImportFromPem(File.ReadAllText(keyFile));
    }

    /// <summary>The public half is what the professional scheme trusts; the private half never leaves this object.</summary>
    public RsaSecurityKey SigningKey { get; }

    /// <summary>A token for <paramref name="rpps"/>, carried as the national id like Pro Santé Connect does.</summary>
    public TestIssuerToken Issue(Rpps rpps, TimeSpan? lifetime = null, string? audience = null) =>
        Sign(new Dictionary<string, object> { [oidc.RppsClaim] = rpps.NationalId, ["sub"] = "test-" + rpps.Value }, lifetime, audience);

    /// <summary>A token with arbitrary claims, so tests can make tokens this API must refuse.</summary>
    public TestIssuerToken Sign(IDictionary<string, object> claims, TimeSpan? lifetime = null, string? audience = null)
    {
        var span = lifetime ?? DefaultLifetime;
        if (span <= TimeSpan.Zero || span > MaxLifetime)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), "A test token lives between 1 second and 1 hour.");
        }

        var now = time.GetUtcNow();
        var expires = now + span;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = audience ?? oidc.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = new Dictionary<string, object>(claims) { ["jti"] = Guid.NewGuid().ToString("N") },
            SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.RsaSha256),
        };
        return new TestIssuerToken(new JsonWebTokenHandler().CreateToken(descriptor), expires);
    }

    public void Dispose() => rsa.Dispose();
}
