import type { MessageShape } from '../lib/message-shape';

// UI text of the stand-ins feature (registered in src/i18n/nl.ts and en.ts).

export const nl = {
  badge: 'waarneming',
};

export const en: MessageShape<typeof nl> = {
  badge: 'standing in',
};
