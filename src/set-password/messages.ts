import type { MessageShape } from '../platform/i18n';

// UI text of the set-password page that invitations and new links lead to (the catalog's `setPassword`).

export const nl = {
  title: 'Wachtwoord kiezen',
  heading: 'Kies je wachtwoord',
  greeting: 'Welkom, {{name}}. Kies een wachtwoord om je aan te melden bij InBeeld.',
  password: 'Nieuw wachtwoord',
  confirm: 'Nieuw wachtwoord nogmaals',
  submit: 'Wachtwoord opslaan en aanmelden',
  signedIn: 'Je bent in deze browser al aangemeld. Meld je eerst af om deze link te gebruiken.',
  unusable: {
    title: 'Deze link werkt niet meer',
    heading: 'Deze link werkt niet meer',
    expired: 'De link is verlopen: een link om een wachtwoord te kiezen werkt 72 uur.',
    used: 'De link is al gebruikt: hij werkt maar één keer.',
    unknown: 'Deze link is niet (meer) geldig. Misschien is er intussen een nieuwere gemaakt.',
    passwordOff:
      'Aanmelden met een wachtwoord staat uit voor wie geen beheerder is: meld je aan met je organisatieaccount, met de knop op de aanmeldpagina.',
    ask: 'Vraag je beheerder om een nieuwe link. Heb je al een wachtwoord gekozen? Meld je dan gewoon aan.',
    login: 'Naar aanmelden',
  },
};

export const en: MessageShape<typeof nl> = {
  title: 'Choose a password',
  heading: 'Choose your password',
  greeting: 'Welcome, {{name}}. Choose a password to sign in to InBeeld.',
  password: 'New password',
  confirm: 'New password again',
  submit: 'Save password and sign in',
  signedIn: 'You are already signed in in this browser. Sign out first to use this link.',
  unusable: {
    title: 'This link no longer works',
    heading: 'This link no longer works',
    expired: 'The link has expired: a link to choose a password works for 72 hours.',
    used: 'The link has been used: it works only once.',
    unknown: 'This link is not (or no longer) valid. A newer one may have been made since.',
    passwordOff:
      "Signing in with a password is off for everyone but administrators: sign in with your organisation's account, with the button on the sign-in page.",
    ask: 'Ask your administrator for a new link. Have you chosen a password already? Then just sign in.',
    login: 'To sign in',
  },
};
