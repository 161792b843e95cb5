namespace MonEspaceSante.Letters;

/// <summary>
/// The print house's drop folder: one PDF per letter, written atomically (temporary file, then
/// rename) so the print house never picks up half a letter. Re-writing a letter replaces it.
/// </summary>
public sealed class LetterOutbox(string path)
{
    public string Path => path;

    public async Task WriteAsync(string reference, byte[] pdf, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        if (reference.IndexOfAny(System.IO.Path.GetInvalidFileNameChars()) >= 0 || reference.Contains("..", StringComparison.Ordinal))
        {
            throw new ArgumentException("Invalid letter reference.", nameof(reference));
        }

        Directory.CreateDirectory(path);
        var target = System.IO.Path.Combine(path, reference + ".pdf");
        var temporary = target + ".tmp";
        await File.WriteAllBytesAsync(temporary, pdf, cancellationToken).ConfigureAwait(false);
        File.Move(temporary, target, overwrite: true);
    }

    public string? Find(string reference)
    {
        var file = System.IO.Path.Combine(path, reference + ".pdf");
        return File.Exists(file) ? file : null;
    }
}
