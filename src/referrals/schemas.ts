import { z } from 'zod';
import { REFERRAL_SERVICE_KINDS, REFERRAL_STATUSES } from '../db/schema';
import { choice, optionalDate, requiredDate, requiredText, submissionToken, versionField } from '../lib/form-fields';

const id = z
  .string()
  .regex(/^\d{1,9}$/)
  .transform(Number);

/** The participant and referral ids of a referral's URL. */
export const ReferralParams = z.object({ id, referralId: id });

/** A new referral is either only discussed with the participant or already sent. */
export const INITIAL_REFERRAL_STATUSES = ['proposed', 'sent'] as const;

const referralFields = {
  serviceKind: choice(REFERRAL_SERVICE_KINDS),
  organisation: requiredText(150),
  reason: requiredText(2000),
  referredOn: requiredDate(),
};

export const ReferralCreateForm = z.object({
  ...referralFields,
  status: choice(INITIAL_REFERRAL_STATUSES),
  submissionToken: submissionToken(),
});
export type ReferralCreateForm = z.infer<typeof ReferralCreateForm>;
export type ReferralInput = Omit<ReferralCreateForm, 'submissionToken'>;

/** The closing date is read only with a closing status (checked in the service, with today). */
export const ReferralEditForm = z.object({
  ...referralFields,
  status: choice(REFERRAL_STATUSES),
  closedOn: optionalDate(),
  version: versionField(),
});
export type ReferralEditForm = z.infer<typeof ReferralEditForm>;
