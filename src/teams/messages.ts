import type { MessageShape } from '../platform/i18n';

// UI text of the teams page (the catalog's `teams`).

export const nl = {
  title: 'Teams',
  heading: 'Teams',
  intro:
    'Een team is een groep jobcoaches met hun teamleiders. Iemand naar een ander team verplaatsen doe je op de pagina van die persoon.',
  back: 'Terug naar teams',
  usersLink: 'Naar gebruikers',
  empty: 'Er zijn nog geen teams.',
  newHeading: 'Nieuw team',
  create: 'Team aanmaken',
  rename: 'Naam opslaan',
  renameHeading: 'Naam van het team',
  fields: { name: 'Naam' },
  columns: { name: 'Team', managers: 'Teamleiders', coaches: 'Jobcoaches', participants: 'Lopende deelnemers' },
  members: {
    heading: 'Leden',
    empty: 'Dit team heeft nog geen leden.',
    name: 'Naam',
    role: 'Rol',
    participants: 'Lopende deelnemers',
    status: 'Status',
  },
  counts: 'Teamleiders: {{managers}} · jobcoaches: {{coaches}} · lopende deelnemers: {{participants}}',
  nameTaken: 'Er is al een team met deze naam.',
  notices: { created: 'Het team is aangemaakt.', renamed: 'De naam van het team is gewijzigd.' },
};

export const en: MessageShape<typeof nl> = {
  title: 'Teams',
  heading: 'Teams',
  intro:
    "A team is a group of job coaches with their team leaders. Moving someone to another team is done on that person's page.",
  back: 'Back to teams',
  usersLink: 'To users',
  empty: 'There are no teams yet.',
  newHeading: 'New team',
  create: 'Create team',
  rename: 'Save name',
  renameHeading: "The team's name",
  fields: { name: 'Name' },
  columns: { name: 'Team', managers: 'Team leaders', coaches: 'Job coaches', participants: 'Open participants' },
  members: {
    heading: 'Members',
    empty: 'This team has no members yet.',
    name: 'Name',
    role: 'Role',
    participants: 'Open participants',
    status: 'Status',
  },
  counts: 'Team leaders: {{managers}} · job coaches: {{coaches}} · open participants: {{participants}}',
  nameTaken: 'There is already a team with this name.',
  notices: { created: 'The team has been created.', renamed: "The team's name has been changed." },
};
