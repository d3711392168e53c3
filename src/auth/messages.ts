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
    forgot: 'Wachtwoord vergeten?',
    forgotAskAdmin: 'Wachtwoord vergeten? Vraag je beheerder om een nieuwe link.',
    invalid: 'Dit e-mailadres en wachtwoord horen niet bij een actief account. Controleer ze en probeer het opnieuw.',
    tooManyAttempts:
      'Te veel aanmeldpogingen. Wacht {{minutes}} minuten en probeer het dan opnieuw, of vraag een beheerder om hulp.',
    signedOut: 'Je bent afgemeld.',
    expired: 'Je sessie is verlopen. Meld je opnieuw aan.',
    insecure: {
      heading: 'Aanmelden kan niet over deze verbinding',
      body: 'InBeeld draait in productie. Dan gaan de cookies van het aanmelden alleen over een beveiligde verbinding (HTTPS), en deze pagina kwam over gewoon HTTP. Zo kan niemand zich aanmelden.',
      https: 'Open InBeeld via https:// in plaats van http://.',
      proxy:
        'Handelt een reverse proxy de HTTPS-verbinding af? Stel dan TRUST_PROXY in op het adres van die proxy (TRUST_PROXY=127.0.0.1 als de proxy op dezelfde machine draait), en laat de proxy X-Forwarded-Proto: https meesturen, zodat InBeeld de verbinding als beveiligd herkent.',
    },
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
    forgot: 'Forgot your password?',
    forgotAskAdmin: 'Forgot your password? Ask your administrator for a new link.',
    invalid: 'This email address and password do not belong to an active account. Check them and try again.',
    tooManyAttempts: 'Too many sign-in attempts. Wait {{minutes}} minutes and try again, or ask an administrator for help.',
    signedOut: 'You have signed out.',
    expired: 'Your session has expired. Please sign in again.',
    insecure: {
      heading: 'Signing in is not possible over this connection',
      body: 'InBeeld runs in production. Its sign-in cookies then travel over a secure connection (HTTPS) only, and this page came over plain HTTP. Nobody can sign in like this.',
      https: 'Open InBeeld through https:// instead of http://.',
      proxy:
        'Does a reverse proxy handle the HTTPS connection? Then set TRUST_PROXY to the address of that proxy (TRUST_PROXY=127.0.0.1 when the proxy runs on the same machine), and have the proxy send X-Forwarded-Proto: https, so that InBeeld recognises the connection as secure.',
    },
  },
};
