import { z } from 'zod';
import { NETWORK_ROLES } from '../db/schema';
import {
  choice,
  optionalEmail,
  optionalPhone,
  optionalText,
  requiredDate,
  requiredText,
  submissionToken,
  versionField,
} from '../lib/form-fields';

const id = z
  .string()
  .regex(/^\d{1,9}$/)
  .transform(Number);

/** The participant and network person ids of a network person's URL. */
export const NetworkPersonParams = z.object({ id, personId: id });

const personFields = {
  role: choice(NETWORK_ROLES),
  name: requiredText(150),
  organisation: optionalText(150),
  phone: optionalPhone(),
  email: optionalEmail(),
  note: optionalText(2000),
};

export const NetworkPersonCreateForm = z.object({ ...personFields, submissionToken: submissionToken() });
export type NetworkPersonCreateForm = z.infer<typeof NetworkPersonCreateForm>;
export type NetworkPersonInput = Omit<NetworkPersonCreateForm, 'submissionToken'>;

export const NetworkPersonEditForm = z.object({ ...personFields, version: versionField() });
export type NetworkPersonEditForm = z.infer<typeof NetworkPersonEditForm>;

export const NetworkPersonEndForm = z.object({ endedOn: requiredDate(), version: versionField() });
export type NetworkPersonEndForm = z.infer<typeof NetworkPersonEndForm>;

/**
 * Who took part, as the contact form's checkboxes send them (field `attendees`): `participant`,
 * `supervisor-<employer contact id>` and `network-<network person id>`. A repeated field arrives as
 * an array, a single one as a string, and the conflict page resubmits them comma-separated.
 * Anything else is left out.
 */
export interface AttendeeSelection {
  participant: boolean;
  supervisorIds: number[];
  networkPersonIds: number[];
}

export function attendeesFrom(body: unknown): AttendeeSelection {
  const raw = body && typeof body === 'object' ? (body as Record<string, unknown>).attendees : undefined;
  const parts = (Array.isArray(raw) ? raw : [raw]).flatMap((value) => (typeof value === 'string' ? value.split(',') : []));
  const selection: AttendeeSelection = { participant: false, supervisorIds: [], networkPersonIds: [] };
  for (const part of parts.map((value) => value.trim())) {
    if (part === 'participant') selection.participant = true;
    const match = /^(supervisor|network)-(\d{1,9})$/.exec(part);
    if (!match || Number(match[2]) <= 0) continue;
    const list = match[1] === 'supervisor' ? selection.supervisorIds : selection.networkPersonIds;
    if (!list.includes(Number(match[2]))) list.push(Number(match[2]));
  }
  return selection;
}

/** The selection as the form's checkbox values, comma-separated (how values are kept on a refused form). */
export function attendeeValues(selection: AttendeeSelection): string {
  return [
    ...(selection.participant ? ['participant'] : []),
    ...selection.supervisorIds.map((id) => `supervisor-${id}`),
    ...selection.networkPersonIds.map((id) => `network-${id}`),
  ].join(',');
}
