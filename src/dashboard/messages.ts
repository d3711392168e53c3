import type { MessageShape } from '../lib/message-shape';

// UI text of the dashboards (registered in src/i18n/nl.ts and en.ts).

export const nl = {
  title: 'Overzicht',
  heading: 'Overzicht',
  scopeAll: '{{name}}, je ziet alle teams van de organisatie.',
  scopeTeam: '{{name}}, je ziet de caseload van {{team}}.',
  empty: {
    title: 'Nog geen signalen',
    body: 'Er zijn nog geen deelnemers met contactmomenten vastgelegd, dus er is niemand die uit beeld raakt. Zodra coaches contacten vastleggen, zie je hier wie aandacht nodig heeft en waarom.',
  },
};

export const en: MessageShape<typeof nl> = {
  title: 'Dashboard',
  heading: 'Dashboard',
  scopeAll: '{{name}}, you see every team of the organisation.',
  scopeTeam: '{{name}}, you see the caseload of {{team}}.',
  empty: {
    title: 'No signals yet',
    body: 'No participants with contact moments have been recorded yet, so nobody is drifting out of view. Once coaches log contacts, this page shows who needs attention and why.',
  },
};
