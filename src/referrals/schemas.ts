import { z } from 'zod';
import { ORGANISATION_KINDS, REFERRAL_SERVICE_KINDS, REFERRAL_STATUSES } from '../db/schema';
import {
  choice,
  optionalChoice,
  optionalDate,
  optionalEmail,
  optionalPhone,
  optionalText,
  requiredDate,
  requiredText,
  submissionToken,
  versionField,
} from '../lib/form-fields';
import { parseForm, type FormResult } from '../lib/forms';

const id = z
  .string()
  .regex(/^\d{1,9}$/)
  .transform(Number);

/** The participant and referral ids of a referral's URL. */
export const ReferralParams = z.object({ id, referralId: id });

/** A new referral is either only discussed with the participant or already sent. */
export const INITIAL_REFERRAL_STATUSES = ['proposed', 'sent'] as const;

/** The organisation list's value for "a new organisation, filled in below". */
export const NEW_ORGANISATION = 'new';

/**
 * The organisation: one of the directory (its id), or a new one added in place from the fields
 * below the list (the list says "new", or is left empty while a new name is typed). Which one,
 * and whether the new one is complete, the service decides and reports per field.
 */
const organisationFields = {
  organisationId: z
    .string()
    .optional()
    .transform((value) => (value ?? '').trim())
    .refine((value) => value === '' || value === NEW_ORGANISATION || /^\d{1,9}$/.test(value), 'validation.choice'),
  newOrganisationName: optionalText(150),
  newOrganisationKind: optionalChoice(ORGANISATION_KINDS),
  newOrganisationRegion: optionalText(100),
  newOrganisationPhone: optionalPhone(),
  newOrganisationEmail: optionalEmail(),
};

const referralFields = {
  serviceKind: choice(REFERRAL_SERVICE_KINDS),
  ...organisationFields,
  reason: requiredText(2000),
  referredOn: requiredDate(),
  followUpOn: optionalDate(),
};

/**
 * A form that names no organisation at all is told so with its other problems, at once (the
 * service decides the rest, which needs the directory).
 */
function requireOrganisation(form: { organisationId: string; newOrganisationName: string | null }, ctx: z.RefinementCtx): void {
  if (form.organisationId === '' && form.newOrganisationName === null) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['organisationId'], message: 'referrals.form.organisationRequired' });
  }
}

export const ReferralCreateForm = z
  .object({
    ...referralFields,
    status: choice(INITIAL_REFERRAL_STATUSES),
    submissionToken: submissionToken(),
  })
  .superRefine(requireOrganisation);
export type ReferralCreateForm = z.infer<typeof ReferralCreateForm>;
export type ReferralInput = Omit<ReferralCreateForm, 'submissionToken'>;

/** The closing date is read only with a closing status (checked in the service, with today). */
export const ReferralEditForm = z
  .object({
    ...referralFields,
    status: choice(REFERRAL_STATUSES),
    closedOn: optionalDate(),
    version: versionField(),
  })
  .superRefine(requireOrganisation);
export type ReferralEditForm = z.infer<typeof ReferralEditForm>;

/** "Followed up" on /today or the profile: the date shown, so a date moved meanwhile is not cleared. */
export const FollowUpDoneForm = z.object({
  followUpOn: requiredDate(),
  returnTo: z.enum(['today', 'profile']).catch('profile'),
});
export type FollowUpDoneForm = z.infer<typeof FollowUpDoneForm>;

/**
 * The forms' parsers: the schema, and when it refuses the form for another field (zod then skips
 * the refinement above), still the missing organisation, so every problem is reported at once.
 */
function parsedWithOrganisation<S extends z.ZodTypeAny>(schema: S): (body: unknown) => FormResult<z.output<S>> {
  return (body) => {
    const result = parseForm(schema, body);
    if (!result.ok && !result.errors.organisationId) {
      const { organisationId = '', newOrganisationName = '' } = result.values;
      if (organisationId.trim() === '' && newOrganisationName.trim() === '') {
        result.errors.organisationId = 'referrals.form.organisationRequired';
      }
    }
    return result;
  };
}

export const parseReferralCreateForm = parsedWithOrganisation(ReferralCreateForm);
export const parseReferralEditForm = parsedWithOrganisation(ReferralEditForm);
