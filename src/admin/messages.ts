import type { MessageShape } from '../platform/i18n';

// UI text of user administration (the catalog's `admin`).

export const nl = {
  users: {
    title: 'Gebruikers',
    heading: 'Gebruikers',
    intro: 'Alle accounts van de organisatie. Een gedeactiveerde gebruiker wordt meteen overal afgemeld.',
    empty: 'Er zijn nog geen gebruikers.',
    name: 'Naam',
    email: 'E-mailadres',
    role: 'Rol',
    team: 'Team',
    status: 'Status',
    actions: 'Acties',
    active: 'Actief',
    inactive: 'Gedeactiveerd',
    you: 'Dit ben jij',
    deactivate: 'Deactiveren',
    reactivate: 'Heractiveren',
    deactivated: 'De gebruiker is gedeactiveerd en overal afgemeld.',
    reactivated: 'De gebruiker is weer actief.',
    back: 'Terug naar gebruikers',
    deactivateTitle: 'Gebruiker deactiveren',
    deactivateHeading: '{{name}} deactiveren?',
    deactivateExplain:
      '{{email}} wordt meteen op alle apparaten afgemeld en kan zich niet meer aanmelden tot een beheerder het account weer activeert. Er gaan geen gegevens verloren.',
    deactivateConfirm: 'Ja, deactiveren',
  },
};

export const en: MessageShape<typeof nl> = {
  users: {
    title: 'Users',
    heading: 'Users',
    intro: 'Every account of the organisation. A deactivated user is signed out everywhere at once.',
    empty: 'There are no users yet.',
    name: 'Name',
    email: 'Email address',
    role: 'Role',
    team: 'Team',
    status: 'Status',
    actions: 'Actions',
    active: 'Active',
    inactive: 'Deactivated',
    you: 'This is you',
    deactivate: 'Deactivate',
    reactivate: 'Reactivate',
    deactivated: 'The user has been deactivated and signed out everywhere.',
    reactivated: 'The user is active again.',
    back: 'Back to users',
    deactivateTitle: 'Deactivate user',
    deactivateHeading: 'Deactivate {{name}}?',
    deactivateExplain:
      '{{email}} is signed out on every device at once and cannot sign in until an administrator reactivates the account. No data is lost.',
    deactivateConfirm: 'Yes, deactivate',
  },
};
