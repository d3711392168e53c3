import type { MessageShape } from '../platform/i18n';

// UI text of the caseload-health page (gathered into the catalog by src/messages.ts).

export const nl = {
  title: 'Caseloads',
  heading: 'Gezondheid van de caseloads',
  back: 'Terug naar het risicodashboard',
  lead: 'Per jobcoach de actieve caseload: deelnemers met een lopend, gestart traject. Peildatum {{date}}.',
  filter: {
    team: 'Team',
    allTeams: 'Alle teams',
    apply: 'Toon',
  },
  noTeam: 'Zonder team',
  tableCaption: 'Caseloads van {{team}}, één rij per jobcoach met het teamtotaal onderaan',
  columns: {
    coach: 'Jobcoach',
    active: 'Actieve caseload',
    reachedPercent: 'Bereikt in 14 dagen',
    red: 'Rood',
    amber: 'Oranje',
    overdue: 'Opvolging te laat',
    contacts7: 'Contacten 7 dagen',
    contacts30: 'Contacten 30 dagen',
    goalsAchieved90: 'Doelen behaald 90 dagen',
    placementPercent: 'Met actieve plaatsing',
  },
  sortAscending: 'oplopend gesorteerd',
  sortDescending: 'aflopend gesorteerd',
  sortHint: 'Klik op een kolomkop om daarop te sorteren; nog een keer klikken draait de volgorde om.',
  totals: 'Totaal {{team}}',
  noShare: '–',
  shareOf: '{{percent}} % ({{count}})',
  empty: {
    title: 'Geen jobcoaches in beeld',
    body: 'Er zijn (nog) geen actieve jobcoaches in dit team. Een beheerder kan jobcoaches aan een team koppelen via Gebruikers.',
  },
  trend: {
    heading: 'Rood en oranje over 12 weken',
    intro: 'Het aantal deelnemers met rood en oranje volgens de dagelijkse momentopname: de laatste meting van elke week.',
    chartLabel:
      'Lijngrafiek van het aantal deelnemers met rood en oranje per week, voor: {{coaches}}. Dezelfde cijfers staan in de tabel hieronder.',
    allCoaches: 'alle {{count}} coaches in beeld',
    organisation: 'de hele organisatie',
    tableCaption: 'Aantal deelnemers met rood en oranje per meetdatum',
    date: 'Meetdatum',
    empty: {
      title: 'Nog geen momentopnames',
      body: 'De trend verschijnt zodra de dagelijkse momentopname van de risiconiveaus heeft gedraaid (elke nacht, of met npm run risk:snapshot).',
    },
  },
};

export const en: MessageShape<typeof nl> = {
  title: 'Caseloads',
  heading: 'Caseload health',
  back: 'Back to the risk dashboard',
  lead: "Each job coach's active caseload: participants with an open trajectory that has started. As of {{date}}.",
  filter: {
    team: 'Team',
    allTeams: 'All teams',
    apply: 'Show',
  },
  noTeam: 'No team',
  tableCaption: 'Caseloads of {{team}}, one row per job coach with the team total at the bottom',
  columns: {
    coach: 'Job coach',
    active: 'Active caseload',
    reachedPercent: 'Reached in 14 days',
    red: 'Red',
    amber: 'Amber',
    overdue: 'Follow-up overdue',
    contacts7: 'Contacts 7 days',
    contacts30: 'Contacts 30 days',
    goalsAchieved90: 'Goals achieved 90 days',
    placementPercent: 'With active placement',
  },
  sortAscending: 'sorted ascending',
  sortDescending: 'sorted descending',
  sortHint: 'Select a column heading to sort by it; select it again to reverse the order.',
  totals: 'Total {{team}}',
  noShare: '–',
  shareOf: '{{percent}} % ({{count}})',
  empty: {
    title: 'No job coaches in view',
    body: 'There are no active job coaches in this team (yet). An administrator can add job coaches to a team under Users.',
  },
  trend: {
    heading: 'Red and amber over 12 weeks',
    intro: 'The number of participants at red and amber in the daily snapshot: the latest reading of each week.',
    chartLabel:
      'Line chart of the number of participants at red and amber per week, for: {{coaches}}. The table below has the same figures.',
    allCoaches: 'all {{count}} coaches in view',
    organisation: 'the whole organisation',
    tableCaption: 'Number of participants at red and amber per snapshot date',
    date: 'Snapshot date',
    empty: {
      title: 'No snapshots yet',
      body: 'The trend appears once the daily snapshot of risk levels has run (every night, or with npm run risk:snapshot).',
    },
  },
};
