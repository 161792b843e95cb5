namespace MonEspaceSante.Letters;

/// <summary>
/// The print house's drop folder: one PDF per letter, written atomically (temporary file, then
/// rename) so the print house never picks up half a letter. Re-writing a letter replaces it.
/// A letter's file is named after its delivery (space and code generation), not after the short
/// reference printed on it, which is not guaranteed unique.
/// </summary>
public sealed class LetterOutbox(string path)
{
    public string Path => path;

    public async Task WriteAsync(string name, byte[] pdf, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.IndexOfAny(System.IO.Path.GetInvalidFileNameChars()) >= 0 || name.Contains("..", StringComparison.Ordinal))
        {
            throw new ArgumentException("Invalid letter name.", nameof(name));
        }

        Directory.CreateDirectory(path);
        var target = System.IO.Path.Combine(path, name + ".pdf");
        var temporary = target + ".tmp";
        await File.WriteAllBytesAsync(temporary, pdf, cancellationToken).ConfigureAwait(false);
        File.Move(temporary, target, overwrite: true);
    }

    public string? Find(string name)
    {
        var file = System.IO.Path.Combine(path, name + ".pdf");
        return File.Exists(file) ? file : null;
    }
}
