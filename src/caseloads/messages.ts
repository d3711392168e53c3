import type { MessageShape } from '../lib/message-shape';

// UI text of the caseload-health page (registered in src/i18n/nl.ts and en.ts).

export const nl = {};

export const en: MessageShape<typeof nl> = {};
