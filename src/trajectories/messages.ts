import type { MessageShape } from '../lib/message-shape';

// UI text of the trajectories feature (registered in src/i18n/nl.ts and en.ts).

export const nl = {
  kinds: { jobcoaching: 'Jobcoaching', work_experience: 'Werkervaringstraject', reintegration: 'Re-integratie', other: 'Anders' },
  outcomes: {
    regular_job: 'Regulier werk',
    subsidised_job: 'Gesubsidieerd werk',
    education: 'Opleiding',
    handover: 'Overgedragen (bijv. aan VDAB)',
    dropout: 'Voortijdig gestopt',
    moved_away: 'Verhuisd',
    other: 'Anders',
  },
  section: {
    heading: 'Trajecten',
    empty: 'Nog geen traject vastgelegd.',
    commissioner: 'Opdrachtgever',
    kind: 'Soort',
    reference: 'Referentie',
    period: 'Periode',
    grantedHours: 'Toegekende uren',
    outcome: 'Uitkomst',
    open: 'Lopend',
    plannedUntil: 'gepland tot {{date}}',
  },
};

export const en: MessageShape<typeof nl> = {
  kinds: { jobcoaching: 'Job coaching', work_experience: 'Work experience', reintegration: 'Reintegration', other: 'Other' },
  outcomes: {
    regular_job: 'Regular job',
    subsidised_job: 'Subsidised job',
    education: 'Education',
    handover: 'Handed over (e.g. to VDAB)',
    dropout: 'Dropped out',
    moved_away: 'Moved away',
    other: 'Other',
  },
  section: {
    heading: 'Trajectories',
    empty: 'No trajectory recorded yet.',
    commissioner: 'Commissioner',
    kind: 'Kind',
    reference: 'Reference',
    period: 'Period',
    grantedHours: 'Granted hours',
    outcome: 'Outcome',
    open: 'Open',
    plannedUntil: 'planned until {{date}}',
  },
};
