import type { MessageShape, MessageVariant } from '../platform/i18n';

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
  attention: {
    reached: 'onder {{min}} %',
    red: 'meer dan {{max}}',
    overdue: 'meer dan {{max}}',
    legend:
      'Een cel met een rand en een waarschuwing vraagt aandacht: bereikt in 14 dagen onder {{reached}} %, meer dan {{red}} deelnemers op rood of meer dan {{overdue}} opvolgingen te laat.',
    change: 'Drempels wijzigen',
  },
  coachLink: 'Gemarkeerde deelnemers van {{name}} op het risicodashboard',
  trendLink: 'Trend',
  trendLinkLabel: 'Trend van {{name}} over 12 weken',
  coachTrend: {
    title: 'Trend van {{name}}',
    heading: 'Rood en oranje van {{name}}',
    back: 'Terug naar de caseloads',
    intro:
      'Het aantal deelnemers van deze coach met rood en oranje volgens de dagelijkse momentopname: de laatste meting van elke week, over 12 weken.',
    flagged: 'Gemarkeerde deelnemers van {{name}} bekijken',
  },
  thresholds: {
    title: 'Drempels caseloads',
    heading: 'Drempels voor de caseloads',
    intro:
      'Vanaf deze waarden markeert de caseloadpagina een cel van een jobcoach met een rand en een woord, zodat een teamleider ziet welke caseload hulp nodig heeft. Het risiconiveau van deelnemers verandert er niet door.',
    back: 'Terug naar de instellingen',
    fields: {
      reachedMinPercent: 'Bereikt in 14 dagen: aandacht onder (%)',
      redMax: 'Rood: aandacht boven (aantal deelnemers)',
      overdueMax: 'Opvolging te laat: aandacht boven (aantal)',
    },
    range: 'Een heel getal van {{min}} tot en met {{max}}.',
    wholeNumber: 'Vul een heel getal in, zonder komma of punt.',
    save: 'Drempels opslaan',
    cancel: 'Annuleren',
    saved: 'De drempels zijn opgeslagen. De caseloadpagina gebruikt ze meteen.',
    lastChanged: 'Laatst gewijzigd op {{date}} door {{name}}.',
    neverChanged: 'Nog niet gewijzigd: dit zijn de standaardwaarden.',
    settingsLink: 'Drempels voor de caseloadpagina (bereik, rood, te laat)',
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
  attention: {
    reached: 'below {{min}} %',
    red: 'more than {{max}}',
    overdue: 'more than {{max}}',
    legend:
      'A cell with a border and a warning needs attention: reached in 14 days below {{reached}} %, more than {{red}} participants at red, or more than {{overdue}} follow-ups overdue.',
    change: 'Change thresholds',
  },
  coachLink: "{{name}}'s flagged participants on the risk dashboard",
  trendLink: 'Trend',
  trendLinkLabel: "{{name}}'s trend over 12 weeks",
  coachTrend: {
    title: "{{name}}'s trend",
    heading: "{{name}}'s red and amber",
    back: 'Back to the caseloads',
    intro:
      "The number of this coach's participants at red and amber in the daily snapshot: the latest reading of each week, over 12 weeks.",
    flagged: "See {{name}}'s flagged participants",
  },
  thresholds: {
    title: 'Caseload thresholds',
    heading: 'Thresholds for the caseloads',
    intro:
      "From these values the caseload page marks a job coach's cell with a border and a word, so a team leader sees which caseload needs help. Participants' risk levels do not change.",
    back: 'Back to the settings',
    fields: {
      reachedMinPercent: 'Reached in 14 days: attention below (%)',
      redMax: 'Red: attention above (participants)',
      overdueMax: 'Follow-up overdue: attention above (number)',
    },
    range: 'A whole number from {{min}} to {{max}}.',
    wholeNumber: 'Enter a whole number, without a comma or point.',
    save: 'Save thresholds',
    cancel: 'Cancel',
    saved: 'The thresholds are saved. The caseload page uses them at once.',
    lastChanged: 'Last changed on {{date}} by {{name}}.',
    neverChanged: 'Not changed yet: these are the defaults.',
    settingsLink: 'Thresholds for the caseload page (reach, red, overdue)',
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

/** Flemish: only what differs from nl. */
export const nlBE: MessageVariant<typeof nl> = {
  lead: 'Per trajectbegeleider de actieve caseload: deelnemers met een lopend, gestart traject. Peildatum {{date}}.',
  tableCaption: 'Caseloads van {{team}}, één rij per trajectbegeleider met het teamtotaal onderaan',
  columns: { coach: 'Trajectbegeleider' },
  empty: {
    title: 'Geen trajectbegeleiders in beeld',
    body: 'Er zijn (nog) geen actieve trajectbegeleiders in dit team. Een beheerder kan trajectbegeleiders aan een team koppelen via Gebruikers.',
  },
};
