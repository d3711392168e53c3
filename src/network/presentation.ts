import { NETWORK_ROLES } from '../db/schema';
import type { Formatters } from '../lib/format';
import type { Translate } from '../platform/i18n';
import type { VisibleNetworkPersonRow } from './service';

/** Each field's label, for the forms, their error summary and the conflict page. */
export const FIELD_LABELS: Record<string, string> = {
  role: 'network.fields.role',
  name: 'network.fields.name',
  organisation: 'network.fields.organisation',
  phone: 'network.fields.phone',
  email: 'network.fields.email',
  note: 'network.fields.note',
  endedOn: 'network.fields.endedOn',
};

/** The edit form's fields in the order the conflict page compares them. */
export const EDIT_FIELDS = ['role', 'name', 'organisation', 'phone', 'email', 'note'] as const;

/** A stored person as the edit form shows them. */
export function formValuesOf(person: VisibleNetworkPersonRow): Record<string, string> {
  return {
    role: person.role,
    name: person.name,
    organisation: person.organisation ?? '',
    phone: person.phone ?? '',
    email: person.email ?? '',
    note: person.note ?? '',
    version: String(person.version),
  };
}

/** The end form, set to today. */
export function endDefaults(person: VisibleNetworkPersonRow, today: string, fmt: Formatters): Record<string, string> {
  return { endedOn: fmt.dateInput(today), version: String(person.version) };
}

/** Form values as the conflict page shows them: words instead of codes. */
export function readableValues(values: Record<string, string>, t: Translate): Record<string, string> {
  const role = values.role ?? '';
  return { ...values, role: (NETWORK_ROLES as readonly string[]).includes(role) ? t(`network.roles.${role}`) : role };
}

/** The network section of the participant's profile. */
export function profileNetwork(participantId: number): string {
  return `/participants/${participantId}#network`;
}
