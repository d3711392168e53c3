import type { MessageShape } from '../platform/i18n';

// UI text of single sign-on (the catalog's `sso`).

export const nl = {
  intro: 'Meld je aan met het account van je organisatie, of met je e-mailadres en wachtwoord.',
  button: 'Aanmelden met je organisatieaccount',
  or: 'of met je e-mailadres en wachtwoord',
  adminsOnly: 'Met een wachtwoord melden alleen beheerders zich aan. Gebruik de knop hierboven.',
  refused: {
    unknownPerson:
      'Je bent aangemeld bij je organisatie, maar InBeeld kent geen actief account met je e-mailadres. Vraag een beheerder van InBeeld om je uit te nodigen.',
    deactivated: 'Je account in InBeeld is gedeactiveerd. Vraag een beheerder om het weer te activeren.',
    providerError:
      'Aanmelden bij je organisatie is niet gelukt: de identiteitsprovider gaf een fout of was niet bereikbaar. Probeer het opnieuw; blijft het mislukken, meld het dan aan je beheerder.',
    wrongState:
      'Dit antwoord van de identiteitsprovider hoort niet bij een aanmelding die in deze browser is begonnen, of het aanmelden duurde te lang. Begin opnieuw met de knop hieronder.',
    notVerified:
      'Het antwoord van de identiteitsprovider kon niet worden gecontroleerd, dus je bent niet aangemeld. Begin opnieuw; blijft het mislukken, meld het dan aan je beheerder.',
    noEmail:
      'Je identiteitsprovider gaf geen e-mailadres door, dus InBeeld kan je account niet vinden. Vraag je beheerder om het e-mailadres mee te laten sturen.',
    boundToAnother:
      'Het account met dit e-mailadres is al gekoppeld aan een andere persoon bij je identiteitsprovider. Vraag een beheerder van InBeeld om hulp.',
    noRole: 'Je identiteitsprovider geeft je geen rol in InBeeld. Vraag je beheerder om je toegang.',
    ambiguousRole:
      'Je identiteitsprovider plaatst je in meer dan één team met dezelfde rol. Vraag je beheerder om dat recht te zetten.',
    unknownTeam:
      'Je identiteitsprovider plaatst je in een team dat InBeeld niet kent (of in geen team). Vraag een beheerder van InBeeld om het team aan te maken.',
    caseloadMustMove:
      'Je identiteitsprovider geeft je een andere rol of een ander team, maar je hebt nog deelnemers. Een beheerder van InBeeld moet hen eerst aan een andere jobcoach geven.',
    lastAdmin:
      'Je identiteitsprovider geeft je geen beheerdersrol meer, maar je bent de laatste actieve beheerder. Vraag een beheerder om dat eerst op te lossen.',
    passwordOff:
      'Aanmelden met een wachtwoord kan alleen voor beheerders. Meld je aan met je organisatieaccount (de knop bovenaan).',
  },
  passwordLinkOff:
    'Aanmelden met een wachtwoord staat uit voor wie geen beheerder is: deze persoon meldt zich aan met het organisatieaccount.',
  admin: {
    invited:
      'Het account is gemaakt. Deze persoon meldt zich aan met het organisatieaccount (aanmelden met een wachtwoord staat uit); bij de eerste keer wordt het gekoppeld via dit e-mailadres.',
  },
  stepUp: {
    title: 'Bevestig dat jij het bent',
    intro: 'Voor deze handeling vraagt InBeeld je om je opnieuw aan te melden bij je organisatie.',
    retry: 'Opnieuw aanmelden bij je organisatie',
    back: 'Terug',
    otherPerson:
      'Je hebt je opnieuw aangemeld als een andere persoon dan wie in InBeeld is aangemeld. Meld je opnieuw aan met je eigen organisatieaccount.',
  },
};

export const en: MessageShape<typeof nl> = {
  intro: "Sign in with your organisation's account, or with your email address and password.",
  button: "Sign in with your organisation's account",
  or: 'or with your email address and password',
  adminsOnly: 'Only administrators sign in with a password. Use the button above.',
  refused: {
    unknownPerson:
      'You signed in at your organisation, but InBeeld has no active account with your email address. Ask an InBeeld administrator to invite you.',
    deactivated: 'Your InBeeld account has been deactivated. Ask an administrator to reactivate it.',
    providerError:
      'Signing in at your organisation did not work: the identity provider reported an error or could not be reached. Try again; if it keeps failing, tell your administrator.',
    wrongState:
      'This answer from the identity provider belongs to no sign-in started in this browser, or signing in took too long. Start again with the button below.',
    notVerified:
      "The identity provider's answer could not be verified, so you are not signed in. Start again; if it keeps failing, tell your administrator.",
    noEmail:
      'Your identity provider sent no email address, so InBeeld cannot find your account. Ask your administrator to have the email address sent.',
    boundToAnother:
      'The account with this email address is already bound to another person at your identity provider. Ask an InBeeld administrator for help.',
    noRole: 'Your identity provider gives you no role in InBeeld. Ask your administrator for access.',
    ambiguousRole:
      'Your identity provider puts you in more than one team with the same role. Ask your administrator to correct it.',
    unknownTeam:
      'Your identity provider puts you in a team InBeeld does not know (or in none). Ask an InBeeld administrator to create the team.',
    caseloadMustMove:
      'Your identity provider gives you another role or team, but you still have participants. An InBeeld administrator must first give them to another job coach.',
    lastAdmin:
      'Your identity provider no longer gives you the administrator role, but you are the last active administrator. Ask an administrator to sort that out first.',
    passwordOff:
      "Signing in with a password is for administrators only. Sign in with your organisation's account (the button at the top).",
  },
  passwordLinkOff:
    "Signing in with a password is off for everyone but administrators: this person signs in with their organisation's account.",
  admin: {
    invited:
      "The account is made. This person signs in with their organisation's account (signing in with a password is off); the first time, it is bound through this email address.",
  },
  stepUp: {
    title: "Confirm it's you",
    intro: 'For this action InBeeld asks you to sign in at your organisation again.',
    retry: 'Sign in at your organisation again',
    back: 'Back',
    otherPerson:
      "You signed in again as another person than the one signed in to InBeeld. Sign in again with your own organisation's account.",
  },
};
