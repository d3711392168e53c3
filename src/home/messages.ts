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
  support: 'Vragen',
  supportManager: 'Teamvragen',
  reviewCriteria: 'Reviewcriteria',
  /** Read after an item's label by a screen reader: "Feedback, 2 nieuw". */
  newCount: '{{count}} nieuw',
  commissioners: 'Opdrachtgevers',
  audit: 'Auditlog',
  import: 'Importeren',
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
  support: 'Questions',
  supportManager: 'Team questions',
  reviewCriteria: 'Review criteria',
  newCount: '{{count}} new',
  commissioners: 'Commissioners',
  audit: 'Audit log',
  import: 'Import',
  settings: 'Settings',
  retention: 'Retention',
};
