import { SUPPORTED_LOCALES } from '../config';
import { z } from 'zod';
import { ROLES } from '../db/schema';
import { choice, optionalChoice, optionalId, requiredText, submissionToken, versionField } from '../lib/form-fields';

export const UserIdParam = z.object({ id: z.coerce.number().int().positive().max(2147483647) });
export type UserIdParam = z.infer<typeof UserIdParam>;

const LOCALES = SUPPORTED_LOCALES;
const ROLE_CHOICES = ROLES as unknown as readonly ['coach', 'manager', 'admin'];

/** The people list's search: a name or email fragment, a role, active or not. */
export const UserListQuery = z.object({
  q: z
    .string()
    .trim()
    .max(100)
    .catch('')
    .default('')
    .transform((value) => value || null),
  role: z.enum(ROLE_CHOICES).optional().catch(undefined),
  status: z.enum(['active', 'inactive', 'all']).catch('all').default('all'),
});
export type UserListQuery = z.infer<typeof UserListQuery>;

const email = () =>
  z
    .string({ required_error: 'validation.required' })
    .trim()
    .min(1, 'validation.required')
    .max(254, 'validation.tooLong')
    .email('validation.email')
    .transform((value) => value.toLowerCase());

/** What an administrator says about a person: the same fields to invite and to edit. */
const personFields = {
  displayName: requiredText(100),
  email: email(),
  role: choice(ROLE_CHOICES),
  teamId: optionalId(),
  /** Empty: no choice of their own, so their team's default applies. */
  locale: optionalChoice(LOCALES),
};

export const InviteForm = z.object({ ...personFields, submissionToken: submissionToken() });
export type InviteForm = z.infer<typeof InviteForm>;

/**
 * Editing a person. For a coach with participants who changes team or role, the form also says what
 * happens to those participants: they stay with the coach, or go to a chosen coach of the old team.
 */
export const UserEditForm = z.object({
  ...personFields,
  participantsGo: optionalChoice(['stay', 'reassign'] as const),
  reassignTo: optionalId(),
  version: versionField(),
});
export type UserEditForm = z.infer<typeof UserEditForm>;

/** Deactivating a coach with participants names who takes them over. */
export const DeactivateForm = z.object({ reassignTo: optionalId() });
export type DeactivateForm = z.infer<typeof DeactivateForm>;
