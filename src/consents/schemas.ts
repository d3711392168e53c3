import { z } from 'zod';
import { CONSENT_PURPOSES } from '../db/schema';
import { choice, optionalText, requiredDate, submissionToken, versionField } from '../lib/form-fields';

const id = z
  .string()
  .regex(/^\d{1,9}$/)
  .transform(Number);

/** The participant and consent ids of a consent's URL. */
export const ConsentParams = z.object({ id, consentId: id });

export const ConsentRecordForm = z.object({
  purpose: choice(CONSENT_PURPOSES),
  givenOn: requiredDate(),
  note: optionalText(2000),
  submissionToken: submissionToken(),
});
export type ConsentRecordForm = z.infer<typeof ConsentRecordForm>;
export type ConsentInput = Omit<ConsentRecordForm, 'submissionToken'>;

export const ConsentWithdrawForm = z.object({ withdrawnOn: requiredDate(), version: versionField() });
export type ConsentWithdrawForm = z.infer<typeof ConsentWithdrawForm>;
