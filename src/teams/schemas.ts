import { z } from 'zod';
import { requiredText, submissionToken, versionField } from '../lib/form-fields';

export const TeamIdParam = z.object({ id: z.coerce.number().int().positive().max(2147483647) });

export const TeamCreateForm = z.object({ name: requiredText(100), submissionToken: submissionToken() });
export type TeamCreateForm = z.infer<typeof TeamCreateForm>;

export const TeamRenameForm = z.object({ name: requiredText(100), version: versionField() });
export type TeamRenameForm = z.infer<typeof TeamRenameForm>;
