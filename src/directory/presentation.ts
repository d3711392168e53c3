import { ORGANISATION_KINDS } from '../db/schema';
import type { Translate } from '../platform/i18n';
import type { OrganisationRecord } from './service';
import type { DirectoryListQuery } from './schemas';

/** Each field's label, for the form, its error summary and the conflict page. */
export const FIELD_LABELS: Record<string, string> = {
  name: 'directory.fields.name',
  kind: 'directory.fields.kind',
  region: 'directory.fields.region',
  phone: 'directory.fields.phone',
  email: 'directory.fields.email',
};

export const EDIT_FIELDS = ['name', 'kind', 'region', 'phone', 'email'];

/** The notices the directory page shows after a change (?done=…). */
export const LIST_NOTICES = { created: 'directory.notices.created', updated: 'directory.notices.updated' } as const;

export function formValuesOf(organisation: OrganisationRecord): Record<string, string> {
  return {
    name: organisation.name,
    kind: organisation.kind,
    region: organisation.region ?? '',
    phone: organisation.phone ?? '',
    email: organisation.email ?? '',
    version: String(organisation.version),
  };
}

/** Form values as the conflict page shows them: the kind in words. */
export function readableValues(values: Record<string, string>, t: Translate): Record<string, string> {
  const kind = values.kind ?? '';
  return { ...values, kind: (ORGANISATION_KINDS as readonly string[]).includes(kind) ? t(`directory.kinds.${kind}`) : kind };
}

export function listQueryString(filters: DirectoryListQuery): string {
  const query = new URLSearchParams();
  if (filters.q) query.set('q', filters.q);
  if (filters.kind) query.set('kind', filters.kind);
  return query.toString();
}
