import type { MessageShape } from '../lib/message-shape';

// UI text of the referrals feature (registered in src/i18n/nl.ts and en.ts).

export const nl = {};

export const en: MessageShape<typeof nl> = {};
