import type { MessageShape } from '../platform/i18n';

// UI text of signing in and out (the catalog's `auth`).

export const nl = {
  login: {
    title: 'Aanmelden',
    heading: 'Aanmelden bij InBeeld',
    intro: 'Meld je aan met je e-mailadres en wachtwoord.',
    email: 'E-mailadres',
    password: 'Wachtwoord',
    submit: 'Aanmelden',
    invalid: 'Dit e-mailadres en wachtwoord horen niet bij een actief account. Controleer ze en probeer het opnieuw.',
    tooManyAttempts:
      'Te veel aanmeldpogingen. Wacht {{minutes}} minuten en probeer het dan opnieuw, of vraag een beheerder om hulp.',
    signedOut: 'Je bent afgemeld.',
    expired: 'Je sessie is verlopen. Meld je opnieuw aan.',
  },
};

export const en: MessageShape<typeof nl> = {
  login: {
    title: 'Sign in',
    heading: 'Sign in to InBeeld',
    intro: 'Sign in with your email address and password.',
    email: 'Email address',
    password: 'Password',
    submit: 'Sign in',
    invalid: 'This email address and password do not belong to an active account. Check them and try again.',
    tooManyAttempts: 'Too many sign-in attempts. Wait {{minutes}} minutes and try again, or ask an administrator for help.',
    signedOut: 'You have signed out.',
    expired: 'Your session has expired. Please sign in again.',
  },
};
