import type { MessageShape } from '../lib/message-shape';

// UI text of the coach's day (registered in src/i18n/nl.ts and en.ts).

export const nl = {
  title: 'Vandaag',
  heading: 'Vandaag',
  greeting: 'Hallo {{name}} ({{team}}).',
  empty: {
    title: 'Nog niets te doen vandaag',
    body: 'Er zijn nog geen deelnemers of contactmomenten vastgelegd. Zodra dat zo is, zie je hier wie je vandaag belt, wie je opnieuw moet proberen en wie uit beeld dreigt te raken.',
  },
};

export const en: MessageShape<typeof nl> = {
  title: 'Today',
  heading: 'Today',
  greeting: 'Hello {{name}} ({{team}}).',
  empty: {
    title: 'Nothing to do today yet',
    body: 'No participants or contact moments have been recorded yet. Once they are, this page shows whom to call today, whom to try again and who is drifting out of view.',
  },
};
