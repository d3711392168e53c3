import type { MessageShape } from '../lib/message-shape';

// UI text of the placements feature (registered in src/i18n/nl.ts and en.ts).

export const nl = {
  kinds: {
    paid_job: 'Betaald werk',
    work_experience: 'Werkervaringsplek',
    volunteering: 'Vrijwilligerswerk',
    day_activity: 'Dagbesteding',
    education: 'Opleiding',
  },
  status: { active: 'Actief', paused: 'Gepauzeerd', ended: 'Beëindigd' },
  section: {
    heading: 'Plaatsingen',
    empty: 'Nog geen plaatsing vastgelegd.',
    employer: 'Werkgever',
    jobTitle: 'Functie',
    kind: 'Soort',
    status: 'Status',
    period: 'Periode',
    hoursPerWeek: 'Uren per week',
    hoursNow: '{{hours}} uur per week',
    noHours: 'geen uren vastgelegd',
    history: 'Urenverloop',
    from: 'vanaf {{date}}',
    supervisor: 'Begeleider op de werkvloer',
    callSupervisor: 'Bel {{name}}',
    pausedSince: 'Gepauzeerd sinds {{date}}: {{reason}}',
  },
};

export const en: MessageShape<typeof nl> = {
  kinds: {
    paid_job: 'Paid job',
    work_experience: 'Work experience',
    volunteering: 'Volunteering',
    day_activity: 'Day activity',
    education: 'Education',
  },
  status: { active: 'Active', paused: 'Paused', ended: 'Ended' },
  section: {
    heading: 'Placements',
    empty: 'No placement recorded yet.',
    employer: 'Employer',
    jobTitle: 'Job title',
    kind: 'Kind',
    status: 'Status',
    period: 'Period',
    hoursPerWeek: 'Hours per week',
    hoursNow: '{{hours}} hours a week',
    noHours: 'no hours recorded',
    history: 'Hours history',
    from: 'from {{date}}',
    supervisor: 'Supervisor at work',
    callSupervisor: 'Call {{name}}',
    pausedSince: 'Paused since {{date}}: {{reason}}',
  },
};
