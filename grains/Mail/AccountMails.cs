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

    public static EmailMessage NewDevice(string to, DateTimeOffset at) => new(
        to,
        "Nouvel appareil utilisé sur votre espace Mon Espace Santé",
        $"""
        Une connexion à votre espace santé a eu lieu le {Stamp(at)} depuis un appareil
        que nous ne connaissions pas.

        Si c'était vous, vous n'avez rien à faire. Sinon, changez votre mot de passe
        sans attendre.
        """);

    public static EmailMessage PasswordChanged(string to, DateTimeOffset at) => new(
        to,
        "Votre mot de passe Mon Espace Santé a été modifié",
        $"""
        Le mot de passe de votre espace santé a été modifié le {Stamp(at)}. Les autres
        sessions ouvertes ont été fermées.

        Si vous n'êtes pas à l'origine de ce changement, contactez l'assistance.
        """);

    public static EmailMessage EmailChangeCode(string to, string code) => new(
        to,
        "Confirmez votre nouvelle adresse Mon Espace Santé",
        $"""
        Pour faire de cette adresse l'adresse de connexion de votre espace santé,
        saisissez ce code : {code}

        Il expire dans 10 minutes. Si vous n'avez rien demandé, ignorez ce message.
        """);

    public static EmailMessage EmailChangedOld(string to, string maskedNewAddress, DateTimeOffset at) => new(
        to,
        "L'adresse de votre espace Mon Espace Santé a été modifiée",
        $"""
        Le {Stamp(at)}, l'adresse de connexion de votre espace santé a été remplacée
        par {maskedNewAddress}. Vous ne recevrez plus nos messages à cette adresse.

        Si vous n'êtes pas à l'origine de ce changement, contactez l'assistance.
        """);

    public static EmailMessage EmailChangedNew(string to) => new(
        to,
        "Votre nouvelle adresse Mon Espace Santé est enregistrée",
        "Cette adresse est désormais l'adresse de connexion de votre espace santé.");

    // The alerts below say that something arrived, never what: no title, author, type or
    // sender (even a specialist's name can reveal a condition). The patient reads it in the app.
    public static EmailMessage NewDocuments(string to, int count) => new(
        to,
        "Nouveau document dans votre espace Mon Espace Santé",
        count == 1
            ? "Un nouveau document a été ajouté à votre espace santé. Connectez-vous pour le consulter."
            : $"{count} nouveaux documents ont été ajoutés à votre espace santé. Connectez-vous pour les consulter.");

    public static EmailMessage NewMessages(string to, int count) => new(
        to,
        "Nouveau message dans votre messagerie Mon Espace Santé",
        count == 1
            ? "Vous avez reçu un nouveau message dans la messagerie de votre espace santé. Connectez-vous pour le lire."
            : $"Vous avez reçu {count} nouveaux messages dans la messagerie de votre espace santé. Connectez-vous pour les lire.");

    public static EmailMessage EmergencyAccess(string to, DateTimeOffset at) => new(
        to,
        "Accès d'urgence à votre espace Mon Espace Santé",
        $"""
        Le {Stamp(at)}, un professionnel de santé a consulté votre espace santé en mode
        urgence. Le détail figure dans l'historique des accès de votre espace.
        """);

    private static string Stamp(DateTimeOffset at) => at.ToString("dd/MM/yyyy 'à' HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
