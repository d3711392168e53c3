import { LIFE_DOMAINS } from '../db/schema';
import type { Formatters } from '../lib/format';
import type { Translate } from '../platform/i18n';
import type { VisibleGoalRow } from './service';

/** Each field's label, for the forms, their error summary and the conflict page. */
export const FIELD_LABELS: Record<string, string> = {
  title: 'goals.fields.title',
  description: 'goals.fields.description',
  lifeDomain: 'goals.fields.lifeDomain',
  targetDate: 'goals.fields.targetDate',
  agreedWithParticipant: 'goals.fields.agreedWithParticipant',
  status: 'goals.fields.status',
  note: 'goals.fields.note',
};

/** The edit form's fields in the order the conflict page compares them. */
export const EDIT_FIELDS = ['title', 'description', 'lifeDomain', 'targetDate', 'agreedWithParticipant'] as const;

/** Which notice the goal's page shows after a redirect (?done=…). */
export const NOTICES = {
  created: 'goals.detail.created',
  updated: 'goals.detail.updated',
  progress: 'goals.detail.progressSaved',
} as const;

/** The edit form's fields as the person sees them; a ticked checkbox sends "yes". */
export function formValuesOf(goal: VisibleGoalRow, fmt: Formatters): Record<string, string> {
  return {
    title: goal.title,
    description: goal.description ?? '',
    lifeDomain: goal.lifeDomain,
    targetDate: fmt.dateInput(goal.targetDate),
    ...(goal.agreedWithParticipant ? { agreedWithParticipant: 'yes' } : {}),
    version: String(goal.version),
  };
}

/** Form values as the conflict page shows them: words instead of codes. */
export function readableValues(values: Record<string, string>, t: Translate): Record<string, string> {
  const domain = values.lifeDomain ?? '';
  return {
    ...values,
    lifeDomain: (LIFE_DOMAINS as readonly string[]).includes(domain) ? t(`goals.lifeDomains.${domain}`) : domain,
    agreedWithParticipant: t(values.agreedWithParticipant ? 'common.yes' : 'common.no'),
  };
}

/** The progress form of a goal's page, set to the goal's current status. */
export function progressDefaults(goal: VisibleGoalRow): Record<string, string> {
  return { status: goal.status, note: '', version: String(goal.version) };
}
