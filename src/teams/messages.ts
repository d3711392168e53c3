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
  rename: 'Opslaan',
  renameHeading: 'Naam en standaardtaal van het team',
  fields: {
    name: 'Naam',
    defaultLocale: 'Standaardtaal',
    defaultLocaleHint:
      'De taal voor wie in dit team zelf geen taal kiest. Nederlands (België) gebruikt de Vlaamse termen, zoals schuldbemiddeling en trajectbegeleider.',
    organisationDefault: 'Zoals de organisatie ({{language}})',
  },
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
  notices: { created: 'Het team is aangemaakt.', renamed: 'De gegevens van het team zijn gewijzigd.' },
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
  rename: 'Save',
  renameHeading: "The team's name and default language",
  fields: {
    name: 'Name',
    defaultLocale: 'Default language',
    defaultLocaleHint:
      'The language for people in this team who choose none themselves. Dutch (Belgium) uses the Flemish terms, such as schuldbemiddeling and trajectbegeleider.',
    organisationDefault: "As the organisation's ({{language}})",
  },
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
  notices: { created: 'The team has been created.', renamed: "The team's details have been changed." },
};
