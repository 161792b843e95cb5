using System.Globalization;

namespace MonEspaceSante.Mail;

/// <summary>The account e-mails. They carry codes or account facts, never health content.</summary>
public static class AccountMails
{
    public static EmailMessage ActivationCode(string to, string firstNames, string code, DateOnly lastValidDay) => new(
        to,
        "Votre code d'activation Mon Espace Santé",
        $"""
        Bonjour {firstNames},

        Votre espace santé a été créé. Pour l'activer, ou pour vous y opposer, rendez-vous sur
        Mon Espace Santé avec ce code provisoire, votre numéro de sécurité sociale et le numéro
        de série de votre carte Vitale :

            {code}

        Ce code est valable jusqu'au {lastValidDay.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)}.
        Sans réponse de votre part d'ici là, votre espace sera activé automatiquement.
        """);

    public static EmailMessage LoginCode(string to, string code) => new(
        to,
        "Votre code de connexion Mon Espace Santé",
        $"""
        Votre code de connexion à usage unique est : {code}

        Il expire dans 10 minutes. Si vous n'êtes pas à l'origine de cette connexion,
        changez votre mot de passe.
        """);

    public static EmailMessage Activated(string to) => new(
        to,
        "Votre espace Mon Espace Santé est activé",
        "Votre espace santé est activé. Vous pouvez vous connecter avec cette adresse e-mail et votre mot de passe.");

    public static EmailMessage Opposed(string to, string reference) => new(
        to,
        "Votre opposition à Mon Espace Santé est enregistrée",
        $"Votre opposition à la création de votre espace santé est enregistrée sous la référence {reference}. Vous pourrez à tout moment demander un nouveau code pour l'activer.");

    public static EmailMessage Closed(string to, DateTimeOffset archivedUntil) => new(
        to,
        "Votre espace Mon Espace Santé est clôturé",
        $"Votre espace santé est clôturé. Ses données sont conservées en lecture seule jusqu'au {archivedUntil.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)}, puis supprimées.");
}
