import { z } from 'zod';
import { optionalDate, requiredText, versionField } from '../lib/form-fields';

/** A whole number typed in a form, within [min, max]. */
const wholeNumber = (min: number, max: number) =>
  z
    .string({ required_error: 'validation.required' })
    .trim()
    .min(1, 'validation.required')
    .regex(/^\d{1,4}$/, 'risk.settings.wholeNumber')
    .transform(Number)
    .refine((value) => value >= min && value <= max, 'validation.number');

/** The allowed range of every threshold; the migration's check constraints hold the same. */
export const RISK_SETTING_RANGES = {
  lastReachedAmberDays: [1, 365],
  lastReachedRedDays: [1, 365],
  unreachedAmberAttempts: [1, 20],
  unreachedRedAttempts: [1, 20],
  overdueAmberDays: [1, 90],
  overdueRedDays: [1, 90],
  noPlacementRedDays: [1, 365],
  hoursLookbackWeeks: [1, 52],
  hoursDropAmberPercent: [1, 100],
  hoursDropRedPercent: [1, 100],
  wellbeingLowScore: [1, 4],
  wellbeingDropPoints: [1, 4],
  wellbeingDropChecks: [2, 10],
  endWarningDays: [1, 365],
} as const;

/** Thresholds that come as an amber/red pair: amber must be the lower one. */
export const AMBER_RED_PAIRS = [
  ['lastReachedAmberDays', 'lastReachedRedDays'],
  ['unreachedAmberAttempts', 'unreachedRedAttempts'],
  ['overdueAmberDays', 'overdueRedDays'],
  ['hoursDropAmberPercent', 'hoursDropRedPercent'],
] as const;

const range = (field: keyof typeof RISK_SETTING_RANGES) =>
  wholeNumber(RISK_SETTING_RANGES[field][0], RISK_SETTING_RANGES[field][1]);

export const RiskSettingsForm = z
  .object({
    lastReachedAmberDays: range('lastReachedAmberDays'),
    lastReachedRedDays: range('lastReachedRedDays'),
    unreachedAmberAttempts: range('unreachedAmberAttempts'),
    unreachedRedAttempts: range('unreachedRedAttempts'),
    overdueAmberDays: range('overdueAmberDays'),
    overdueRedDays: range('overdueRedDays'),
    noPlacementRedDays: range('noPlacementRedDays'),
    hoursLookbackWeeks: range('hoursLookbackWeeks'),
    hoursDropAmberPercent: range('hoursDropAmberPercent'),
    hoursDropRedPercent: range('hoursDropRedPercent'),
    wellbeingLowScore: range('wellbeingLowScore'),
    wellbeingDropPoints: range('wellbeingDropPoints'),
    wellbeingDropChecks: range('wellbeingDropChecks'),
    endWarningDays: range('endWarningDays'),
    version: versionField(),
  })
  .superRefine((form, ctx) => {
    for (const [amber, red] of AMBER_RED_PAIRS) {
      if (form[amber] >= form[red]) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: [red], message: 'risk.settings.redAboveAmber' });
      }
    }
  });
export type RiskSettingsForm = z.infer<typeof RiskSettingsForm>;

/** The acknowledge form on /participants/:id/risk/acknowledge: what the coach does about the flag. */
export const RiskAcknowledgeForm = z.object({
  note: requiredText(2000),
  snoozeUntil: optionalDate(),
});
export type RiskAcknowledgeForm = z.output<typeof RiskAcknowledgeForm>;
