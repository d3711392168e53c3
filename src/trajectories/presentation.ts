import type { Locale } from '../config';
import type { Formatters } from '../lib/format';
import type { Translate } from '../platform/i18n';
import type { TrajectoryInput } from './schemas';
import type { CommissionerChoice, TrajectoryRecord } from './service';

/** Each field's label, for the forms, their error summary and the conflict page. */
export const FIELD_LABELS: Record<string, string> = {
  commissionerId: 'trajectories.fields.commissioner',
  kind: 'trajectories.fields.kind',
  reference: 'trajectories.fields.reference',
  startDate: 'trajectories.fields.startDate',
  plannedEndDate: 'trajectories.fields.plannedEndDate',
  grantedHours: 'trajectories.fields.grantedHours',
  endDate: 'trajectories.fields.endDate',
  outcome: 'trajectories.fields.outcome',
};

/** The edit form's fields in the order the conflict page compares them. */
export const EDIT_FIELDS = ['commissionerId', 'kind', 'reference', 'startDate', 'plannedEndDate', 'grantedHours'];

/** Hours as a person would type them back: "12,5" in Dutch and Flemish, "12.5" in English, no grouping. */
function hoursForInput(hours: number, locale: Locale): string {
  const plain = String(Number(hours.toFixed(2)));
  return locale !== 'en' ? plain.replace('.', ',') : plain;
}

/** A stored trajectory as the edit form shows it. */
export function formValuesOf(trajectory: TrajectoryRecord, fmt: Formatters, locale: Locale): Record<string, string> {
  return {
    commissionerId: String(trajectory.commissionerId),
    kind: trajectory.kind,
    reference: trajectory.reference ?? '',
    startDate: fmt.dateInput(trajectory.startDate),
    plannedEndDate: fmt.dateInput(trajectory.plannedEndDate),
    grantedHours: hoursForInput(Number(trajectory.grantedHours), locale),
    version: String(trajectory.version),
  };
}

/** A stored trajectory as the input the edit form saves. */
export function inputOf(trajectory: TrajectoryRecord): TrajectoryInput {
  return {
    commissionerId: trajectory.commissionerId,
    kind: trajectory.kind,
    reference: trajectory.reference,
    startDate: trajectory.startDate,
    plannedEndDate: trajectory.plannedEndDate,
    grantedHours: Number(trajectory.grantedHours),
  };
}

/** A trajectory as the conflict page shows it: names and labels instead of ids and codes. */
export function readableValues(
  values: TrajectoryInput,
  choices: CommissionerChoice[],
  { t, fmt, locale }: { t: Translate; fmt: Formatters; locale: Locale },
): Record<string, string> {
  return {
    commissionerId: choices.find((choice) => choice.id === values.commissionerId)?.name ?? '',
    kind: t(`trajectories.kinds.${values.kind}`),
    reference: values.reference ?? '',
    startDate: fmt.dateInput(values.startDate),
    plannedEndDate: fmt.dateInput(values.plannedEndDate),
    grantedHours: hoursForInput(values.grantedHours, locale),
  };
}
