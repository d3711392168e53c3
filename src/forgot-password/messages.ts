import type { MessageShape } from '../platform/i18n';

// UI text of "forgot password" (the catalog's `forgotPassword`); the mail itself is in mail/messages.ts.

export const nl = {
  title: 'Wachtwoord vergeten',
  heading: 'Wachtwoord vergeten',
  intro: 'Vul het e-mailadres van je account in. Je krijgt een link om een nieuw wachtwoord te kiezen.',
  email: 'E-mailadres',
  submit: 'Link versturen',
  sent: 'Als er een account is met het adres {{email}}, is er nu een mail onderweg met een link om een nieuw wachtwoord te kiezen. De link werkt één keer, 72 uur lang. Geen mail? Kijk ook in je spam, of vraag je beheerder.',
  tooMany:
    'Er zijn te veel aanvragen gedaan. Wacht {{minutes}} minuten en probeer het dan opnieuw, of vraag je beheerder om een nieuwe link.',
  unavailable: 'InBeeld kan geen mail versturen. Vraag je beheerder om een nieuwe link om een wachtwoord te kiezen.',
  back: 'Terug naar aanmelden',
};

export const en: MessageShape<typeof nl> = {
  title: 'Forgot password',
  heading: 'Forgot password',
  intro: "Enter your account's email address. You will get a link to choose a new password.",
  email: 'Email address',
  submit: 'Send link',
  sent: 'If there is an account with the address {{email}}, a mail with a link to choose a new password is on its way. The link works once, for 72 hours. No mail? Look in your spam folder too, or ask your administrator.',
  tooMany: 'Too many requests were made. Wait {{minutes}} minutes and try again, or ask your administrator for a new link.',
  unavailable: 'InBeeld cannot send mail. Ask your administrator for a new link to choose a password.',
  back: 'Back to sign in',
};
