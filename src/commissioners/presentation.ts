import { COMMISSIONER_KINDS } from '../db/schema';
import type { Translate } from '../platform/i18n';
import type { CommissionerRecord } from './service';

/** Each field's label, for the form, its error summary and the conflict page. */
export const FIELD_LABELS: Record<string, string> = {
  name: 'commissioners.fields.name',
  kind: 'commissioners.fields.kind',
};

/** The notices the list shows after a change (views/commissioners/list.ejs words them). */
export const LIST_NOTICES = {
  created: 'created',
  updated: 'updated',
  deactivated: 'deactivated',
  reactivated: 'reactivated',
} as const;

export function formValuesOf(commissioner: CommissionerRecord): Record<string, string> {
  return { name: commissioner.name, kind: commissioner.kind, version: String(commissioner.version) };
}

/** What the conflict page shows: the kind as its label, so both columns read the same way. */
export function displayValuesOf(values: { name: string; kind: string }, t: Translate): Record<string, string> {
  return {
    name: values.name,
    kind: (COMMISSIONER_KINDS as readonly string[]).includes(values.kind) ? t(`commissioners.kinds.${values.kind}`) : values.kind,
  };
}
