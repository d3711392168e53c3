import type { MessageShape } from '../platform/i18n';

// UI text of the person's own account page (the catalog's `account`).

export const nl = {
  title: 'Mijn account',
  heading: 'Mijn account',
  name: 'Naam',
  email: 'E-mailadres',
  role: 'Rol',
  team: 'Team',
  language: {
    heading: 'Taal',
    label: 'Taal van InBeeld',
    save: 'Taal opslaan',
  },
  password: {
    heading: 'Wachtwoord wijzigen',
    current: 'Huidig wachtwoord',
    new: 'Nieuw wachtwoord',
    confirm: 'Nieuw wachtwoord nogmaals',
    hint: 'Minstens 12 tekens. Een zin van een paar woorden is makkelijk te onthouden en sterk.',
    submit: 'Wachtwoord wijzigen',
    changed: 'Je wachtwoord is gewijzigd. Je andere sessies zijn afgemeld.',
    currentWrong: 'Het huidige wachtwoord klopt niet.',
  },
};

export const en: MessageShape<typeof nl> = {
  title: 'My account',
  heading: 'My account',
  name: 'Name',
  email: 'Email address',
  role: 'Role',
  team: 'Team',
  language: {
    heading: 'Language',
    label: 'Language of InBeeld',
    save: 'Save language',
  },
  password: {
    heading: 'Change password',
    current: 'Current password',
    new: 'New password',
    confirm: 'New password again',
    hint: 'At least 12 characters. A sentence of a few words is easy to remember and strong.',
    submit: 'Change password',
    changed: 'Your password has been changed. Your other sessions have been signed out.',
    currentWrong: 'The current password is not correct.',
  },
};
