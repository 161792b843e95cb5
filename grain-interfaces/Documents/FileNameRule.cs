namespace MonEspaceSante.Documents;

/// <summary>
/// How the platform normalises a file name it is given (a document's, an attachment's), in words
/// for the API's description; the rule itself is <c>FileNames.Safe</c> in the grains.
/// </summary>
public static class FileNameRule
{
    public const string Text =
        "Normalised on receipt: only the last path segment is kept (anything up to the last '/' or '\\' is dropped); " +
        "control, format, line or paragraph separator, private-use and unassigned characters are removed; " +
        "the characters < > : \" | ? * become '_'; surrounding spaces, leading dots and trailing dots are removed; " +
        "a name longer than 255 characters is shortened, keeping its extension. A name left empty counts as none given.";
}
