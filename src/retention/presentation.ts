import type { RetentionSettingsRow } from './queries';

/** The labels of the settings form, for the form and the conflict page. */
export const FIELD_LABELS = {
  closedFilesMonths: 'retention.settings.closedFilesMonths',
  auditLogYears: 'retention.settings.auditLogYears',
  staffAnonymiseMonths: 'retention.settings.staffAnonymiseMonths',
} as const;

export const ERASURE_LABELS = { reason: 'retention.erase.reason' } as const;

export const SETTINGS_NOTICES = { saved: 'saved' } as const;

/** The stored periods as the form shows them: an unset period is an empty field. */
export function formValuesOf(settings: RetentionSettingsRow): Record<string, string> {
  const text = (value: number | null) => (value === null ? '' : String(value));
  return {
    closedFilesMonths: text(settings.closedFilesMonths),
    auditLogYears: String(settings.auditLogYears),
    staffAnonymiseMonths: text(settings.staffAnonymiseMonths),
    version: String(settings.version),
  };
}

/** Whole hours of contact minutes, one decimal, for the confirmation page. */
export function hoursOf(minutes: number): number {
  return Math.round((minutes / 60) * 10) / 10;
}
