import { z } from 'zod';
import { SUPPORTED_LOCALES } from '../config';
import { optionalChoice, requiredText, submissionToken, versionField } from '../lib/form-fields';

export const TeamIdParam = z.object({ id: z.coerce.number().int().positive().max(2147483647) });

export const TeamCreateForm = z.object({ name: requiredText(100), submissionToken: submissionToken() });
export type TeamCreateForm = z.infer<typeof TeamCreateForm>;

/** The team's name and default language (empty: the organisation's); its people's own choice wins. */
export const TeamRenameForm = z.object({
  name: requiredText(100),
  defaultLocale: optionalChoice(SUPPORTED_LOCALES),
  version: versionField(),
});
export type TeamRenameForm = z.infer<typeof TeamRenameForm>;
