import type { MessageShape } from '../platform/i18n';

// UI text of the main navigation (the catalog's `nav`).

export const nl = {
  reports: 'Rapportages',
  today: 'Vandaag',
  dashboard: 'Overzicht',
  users: 'Gebruikers',
  teams: 'Teams',
  participants: 'Deelnemers',
  employers: 'Werkgevers',
  directory: 'Verwijsgids',
  reviews: 'Kwaliteitsreview',
  caseloads: 'Caseloads',
  myFeedback: 'Feedback',
  standins: 'Waarnemingen',
  commissioners: 'Opdrachtgevers',
  audit: 'Auditlog',
  settings: 'Instellingen',
  retention: 'Bewaartermijnen',
};

export const en: MessageShape<typeof nl> = {
  reports: 'Reports',
  today: 'Today',
  dashboard: 'Dashboard',
  users: 'Users',
  teams: 'Teams',
  participants: 'Participants',
  employers: 'Employers',
  directory: 'Referral directory',
  reviews: 'Quality review',
  caseloads: 'Caseloads',
  myFeedback: 'Feedback',
  standins: 'Stand-ins',
  commissioners: 'Commissioners',
  audit: 'Audit log',
  settings: 'Settings',
  retention: 'Retention',
};
