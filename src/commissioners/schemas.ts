import { z } from 'zod';
import { COMMISSIONER_KINDS } from '../db/schema';
import { choice, requiredText, submissionToken, versionField } from '../lib/form-fields';

/** Fields an administrator types for a commissioner. Active is changed by deactivate/reactivate only. */
const commissionerFields = {
  name: requiredText(150),
  kind: choice(COMMISSIONER_KINDS),
};

export const CommissionerCreateForm = z.object({ ...commissionerFields, submissionToken: submissionToken() });
export type CommissionerCreateForm = z.infer<typeof CommissionerCreateForm>;

export const CommissionerEditForm = z.object({ ...commissionerFields, version: versionField() });
export type CommissionerEditForm = z.infer<typeof CommissionerEditForm>;

export type CommissionerInput = Omit<CommissionerCreateForm, 'submissionToken'>;
