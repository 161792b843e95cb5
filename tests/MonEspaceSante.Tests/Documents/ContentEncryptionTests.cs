using System.Security.Cryptography;
using MonEspaceSante.Content;
using MonEspaceSante.Security;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Documents;

/// <summary>The chunked AES-256-GCM envelope over the file-system store: confidentiality, integrity, random access.</summary>
public sealed class ContentEncryptionTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly FileSystemContentStore store;

    public ContentEncryptionTests() => store = new FileSystemContentStore(folder.Path);

    public void Dispose() => folder.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(ContentCipher.ChunkSize - 1)]
    [InlineData(ContentCipher.ChunkSize)]
    [InlineData((ContentCipher.ChunkSize * 3) + 17)]
    public async Task Round_trips_any_length_and_stores_ciphertext_only(int length)
    {
        var plaintext = RandomText(length);
        var key = DataKeys.NewDataKey();
        var (objectKey, sha) = await WriteAsync(plaintext, key);

        var stored = await File.ReadAllBytesAsync(PathOf(objectKey));
        stored.Length.Should().Be((int)ContentCipher.StoredLength(length));
        if (length >= 32)
        {
            stored.AsSpan().IndexOf(plaintext.AsSpan(0, 32)).Should().Be(-1, "no run of plaintext may appear in the stored bytes");
        }

        (await ReadAllAsync(objectKey, key, length, sha)).Should().Equal(plaintext);
    }

    [Fact]
    public async Task Another_patients_key_cannot_open_the_content()
    {
        var plaintext = RandomText(1000);
        var (objectKey, sha) = await WriteAsync(plaintext, DataKeys.NewDataKey());

        var open = () => DecryptingStream.OpenAsync(store, objectKey, DataKeys.NewDataKey(), plaintext.Length, sha, CancellationToken.None);
        await open.Should().ThrowAsync<ContentIntegrityException>();
    }

    [Fact]
    public async Task A_flipped_byte_anywhere_is_detected_never_returned()
    {
        var plaintext = RandomText((ContentCipher.ChunkSize * 2) + 100);
        var key = DataKeys.NewDataKey();
        var (objectKey, sha) = await WriteAsync(plaintext, key);
        var path = PathOf(objectKey);
        var original = await File.ReadAllBytesAsync(path);

        foreach (var offset in new[] { 5L, ContentCipher.HeaderSize + 10, ContentCipher.ChunkOffset(1) + 3, original.Length - 1 })
        {
            var tampered = (byte[])original.Clone();
            tampered[offset] ^= 0x01;
            await File.WriteAllBytesAsync(path, tampered);
            var read = () => ReadAllAsync(objectKey, key, plaintext.Length, sha);
            await read.Should().ThrowAsync<ContentIntegrityException>($"byte {offset} was flipped");
        }
    }

    [Fact]
    public async Task A_truncated_object_or_a_wrong_recorded_hash_is_detected()
    {
        var plaintext = RandomText((ContentCipher.ChunkSize * 2) + 100);
        var key = DataKeys.NewDataKey();
        var (objectKey, sha) = await WriteAsync(plaintext, key);

        var wrongHash = () => ReadAllAsync(objectKey, key, plaintext.Length, new string('0', 64));
        await wrongHash.Should().ThrowAsync<ContentIntegrityException>();

        // Dropping the last chunk leaves a well-formed object that is one chunk short: its new last chunk was not sealed as final.
        var path = PathOf(objectKey);
        var bytes = await File.ReadAllBytesAsync(path);
        await File.WriteAllBytesAsync(path, bytes[..(int)ContentCipher.ChunkOffset(2)]);
        var truncated = () => ReadAllAsync(objectKey, key, ContentCipher.ChunkSize * 2, sha);
        await truncated.Should().ThrowAsync<ContentIntegrityException>();
    }

    [Fact]
    public async Task Seeks_read_only_the_chunks_they_need()
    {
        var plaintext = RandomText((ContentCipher.ChunkSize * 4) + 5);
        var key = DataKeys.NewDataKey();
        var (objectKey, sha) = await WriteAsync(plaintext, key);

        await using var stream = await DecryptingStream.OpenAsync(store, objectKey, key, plaintext.Length, sha, CancellationToken.None);
        foreach (var start in new[] { ContentCipher.ChunkSize * 3L - 10, 7L, plaintext.Length - 3L })
        {
            stream.Position = start;
            var buffer = new byte[20];
            var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false);
            buffer[..read].Should().Equal(plaintext.AsSpan((int)start, read).ToArray());
        }
    }

    [Fact]
    public void Wrapped_data_keys_open_only_for_their_own_space()
    {
        var keys = new DataKeys(new KeyRing(RandomNumberGenerator.GetBytes(32)));
        var space = Guid.NewGuid();
        var dataKey = DataKeys.NewDataKey();
        var wrapped = keys.Wrap(space, dataKey);

        wrapped.Should().NotContain(Convert.ToBase64String(dataKey));
        keys.Unwrap(space, wrapped).Should().Equal(dataKey);
        var elsewhere = () => keys.Unwrap(Guid.NewGuid(), wrapped);
        elsewhere.Should().Throw<CryptographicException>();
        var otherMaster = () => new DataKeys(new KeyRing(RandomNumberGenerator.GetBytes(32))).Unwrap(space, wrapped);
        otherMaster.Should().Throw<CryptographicException>();
    }

    private async Task<(string Key, string Sha)> WriteAsync(byte[] plaintext, byte[] key)
    {
        var objectKey = $"{Guid.NewGuid():N}/{Guid.NewGuid():N}";
        await using var writer = new EncryptingWriter(await store.CreateAsync(objectKey, CancellationToken.None), key, objectKey);
        // Uneven writes: chunk boundaries must not depend on how the caller slices its data.
        for (var offset = 0; offset < plaintext.Length; offset += 10_007)
        {
            await writer.WriteAsync(plaintext.AsMemory(offset, Math.Min(10_007, plaintext.Length - offset)), CancellationToken.None);
        }

        var sha = await writer.CompleteAsync(CancellationToken.None);
        sha.Should().Be(Convert.ToHexStringLower(SHA256.HashData(plaintext)));
        return (objectKey, sha);
    }

    private async Task<byte[]> ReadAllAsync(string objectKey, byte[] key, long length, string sha)
    {
        await using var stream = await DecryptingStream.OpenAsync(store, objectKey, key, length, sha, CancellationToken.None);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>The object's file, wherever the store's layout put it (its name is the key, flattened).</summary>
    private string PathOf(string objectKey) =>
        Directory.GetFiles(folder.Path, "*", SearchOption.AllDirectories).Single(f => Path.GetFileName(f) == objectKey.Replace('/', '~'));

    private static byte[] RandomText(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }
}
