namespace MonEspaceSante.Messaging;

/// <summary>Secure messaging (section <c>Messaging</c>). Domains default to MSSanté's.</summary>
public sealed class MessagingOptions
{
    public string PatientDomain { get; set; } = "patient.mssante.fr";

    /// <summary>Professionals' domains by RPPS profession code; others get <see cref="DefaultProfessionalDomain"/>.</summary>
    public Dictionary<string, string> ProfessionDomains { get; } = new(StringComparer.Ordinal)
    {
        ["10"] = "medecin.mssante.fr",
        ["21"] = "pharmacien.mssante.fr",
        ["40"] = "chirurgien-dentiste.mssante.fr",
        ["50"] = "sage-femme.mssante.fr",
        ["60"] = "infirmier.mssante.fr",
        ["70"] = "masseur-kinesitherapeute.mssante.fr",
    };

    public string DefaultProfessionalDomain { get; set; } = "professionnel.mssante.fr";

    public int MaxSubjectLength { get; set; } = 200;

    /// <summary>Characters of text body.</summary>
    public int MaxBodyLength { get; set; } = 50_000;

    public int MaxRecipients { get; set; } = 20;

    public int MaxAttachments { get; set; } = 10;

    public long MaxAttachmentSize { get; set; } = 10L * 1024 * 1024;

    public long MaxAttachmentsTotal { get; set; } = 25L * 1024 * 1024;

    /// <summary>Messages a professional may send per hour (each recipient's copy counts once per message).</summary>
    public int ProfessionalPerHour { get; set; } = 1000;

    public int PatientPerHour { get; set; } = 30;

    public string DomainOf(string professionCode) => ProfessionDomains.GetValueOrDefault(professionCode, DefaultProfessionalDomain);

    public bool IsPlatformDomain(string domain) =>
        string.Equals(domain, PatientDomain, StringComparison.OrdinalIgnoreCase)
        || string.Equals(domain, DefaultProfessionalDomain, StringComparison.OrdinalIgnoreCase)
        || ProfessionDomains.Values.Contains(domain, StringComparer.OrdinalIgnoreCase);
}
