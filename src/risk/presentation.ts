import { RISK_SETTING_FIELDS, type RiskSettings, type RiskSettingsRecord } from './service';
import type { RiskRecomputeProgress } from './state';

/** Each threshold's label, for the settings form, its error summary and the conflict page. */
export const FIELD_LABELS: Record<string, string> = Object.fromEntries(
  RISK_SETTING_FIELDS.map((field) => [field, `risk.settings.fields.${field}`]),
);

/** The settings form's fields in groups, one per signal of product.md's table. */
export const GROUPS = [
  { key: 'lastReached', fields: ['lastReachedAmberDays', 'lastReachedRedDays'] },
  { key: 'unreached', fields: ['unreachedAmberAttempts', 'unreachedRedAttempts'] },
  { key: 'overdue', fields: ['overdueAmberDays', 'overdueRedDays'] },
  { key: 'noPlacement', fields: ['noPlacementRedDays'] },
  { key: 'hours', fields: ['hoursLookbackWeeks', 'hoursDropAmberPercent', 'hoursDropRedPercent'] },
  { key: 'wellbeing', fields: ['wellbeingLowScore', 'wellbeingDropPoints', 'wellbeingDropChecks'] },
  { key: 'plannedEnd', fields: ['endWarningDays'] },
] as const;

/** The settings page's notices (?done=…); views/risk/settings.ejs puts them under risk.settings. */
export const SETTINGS_NOTICES = { saved: 'saved' } as const;

export const ACKNOWLEDGE_LABELS: Record<string, string> = {
  note: 'risk.acknowledge.note',
  snoozeUntil: 'risk.acknowledge.snoozeUntil',
};

/** The thresholds as the form shows them. */
export function thresholdValuesOf(settings: RiskSettings): Record<string, string> {
  return Object.fromEntries(RISK_SETTING_FIELDS.map((field) => [field, String(settings[field])]));
}

/** The stored settings as the form shows them, with the version they were loaded at. */
export function formValuesOf(record: RiskSettingsRecord): Record<string, string> {
  return { ...thresholdValuesOf(record), version: String(record.version) };
}

/** The settings page's line on the background recompute of the settings in force. */
export interface RecomputeView {
  state: 'running' | 'finished';
  done: number;
  total: number;
  /** For the progress element, whose max must be above 0. */
  max: number;
  finishedAt: Date | null;
}

export function recomputeViewOf(progress: RiskRecomputeProgress | null): RecomputeView | null {
  if (!progress) return null;
  return {
    state: progress.finishedAt ? 'finished' : 'running',
    done: progress.done,
    total: progress.participants,
    max: Math.max(1, progress.participants),
    finishedAt: progress.finishedAt,
  };
}
