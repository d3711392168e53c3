import type { MessageShape } from '../lib/message-shape';

// UI text of the trajectory-reports feature (registered in src/i18n/nl.ts and en.ts as "trajectoryReports").

export const nl = {
  title: '',
};

export const en: MessageShape<typeof nl> = {
  title: '',
};
