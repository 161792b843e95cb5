using System.Text;
using MonEspaceSante.Content;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Documents;

/// <summary>The embedded content store's layout: a fixed set of bucket folders, and objects of the earlier layout still served.</summary>
public sealed class FileSystemContentStoreTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly FileSystemContentStore store;

    public FileSystemContentStoreTests() => store = new FileSystemContentStore(folder.Path);

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task Objects_of_many_messages_share_bucket_folders_instead_of_a_folder_each()
    {
        var keys = Enumerable.Range(0, 200).Select(_ => $"messages/{Guid.NewGuid():N}/{Guid.NewGuid():N}").ToList();
        foreach (var key in keys)
        {
            await WriteAsync(key, key);
        }

        var folders = Directory.GetDirectories(folder.Path, "*", SearchOption.AllDirectories);
        folders.Should().OnlyContain(f => Path.GetDirectoryName(f) == folder.Path, "every object lies one level down, in its bucket");
        folders.Length.Should().BeLessThan(keys.Count, "200 objects spread over 256 buckets share some");
        foreach (var key in keys)
        {
            (await ReadAsync(key)).Should().Be(key);
        }
    }

    [Fact]
    public async Task An_object_written_under_the_earlier_layout_is_read_checked_and_deleted()
    {
        var key = $"{Guid.NewGuid():N}/{Guid.NewGuid():N}";
        var legacy = Path.Combine(folder.Path, key[..2], key);
        Directory.CreateDirectory(Path.GetDirectoryName(legacy)!);
        await File.WriteAllTextAsync(legacy, "written before the buckets");

        (await store.ExistsAsync(key, CancellationToken.None)).Should().BeTrue();
        (await ReadAsync(key)).Should().Be("written before the buckets");

        await store.DeleteAsync(key, CancellationToken.None);
        File.Exists(legacy).Should().BeFalse();
        (await store.ExistsAsync(key, CancellationToken.None)).Should().BeFalse();
        await FluentActions.Awaiting(() => store.OpenReadAsync(key, 0, CancellationToken.None)).Should().ThrowAsync<ContentNotFoundException>();
    }

    [Fact]
    public async Task A_bucket_removed_while_running_is_made_again()
    {
        var key = $"{Guid.NewGuid():N}/{Guid.NewGuid():N}";
        await WriteAsync(key, "first");
        await store.DeleteAsync(key, CancellationToken.None);
        foreach (var bucket in Directory.GetDirectories(folder.Path))
        {
            Directory.Delete(bucket, recursive: true);
        }

        await WriteAsync(key, "second");
        (await ReadAsync(key)).Should().Be("second");
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("/absolute")]
    [InlineData("a~b")]
    [InlineData("a\\b")]
    public async Task A_key_that_is_not_ours_is_refused(string key) =>
        await FluentActions.Awaiting(() => store.CreateAsync(key, CancellationToken.None)).Should().ThrowAsync<ArgumentException>();

    private async Task WriteAsync(string key, string text)
    {
        await using var writer = await store.CreateAsync(key, CancellationToken.None);
        await writer.WriteAsync(Encoding.UTF8.GetBytes(text), CancellationToken.None);
        await writer.CompleteAsync(CancellationToken.None);
    }

    private async Task<string> ReadAsync(string key)
    {
        await using var stream = await store.OpenReadAsync(key, 0, CancellationToken.None);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
