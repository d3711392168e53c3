import { z } from 'zod';
import { ORGANISATION_KINDS } from '../db/schema';
import {
  choice,
  optionalEmail,
  optionalPhone,
  optionalText,
  requiredText,
  submissionToken,
  versionField,
} from '../lib/form-fields';

/** The organisation id of a directory URL. */
export const OrganisationParams = z.object({
  organisationId: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number),
});

/** The directory's search: part of a name (or region), and a kind; anything unusable means none. */
export const DirectoryListQuery = z.object({
  q: z
    .string()
    .trim()
    .max(100)
    .catch('')
    .default('')
    .transform((value) => value || null),
  kind: z.enum(ORGANISATION_KINDS).optional().catch(undefined),
});
export type DirectoryListQuery = z.infer<typeof DirectoryListQuery>;

/** An organisation's fields, with the lengths of the table's checks. */
export const organisationFields = {
  name: requiredText(150),
  kind: choice(ORGANISATION_KINDS),
  region: optionalText(100),
  phone: optionalPhone(),
  email: optionalEmail(),
};

export const OrganisationCreateForm = z.object({ ...organisationFields, submissionToken: submissionToken() });
export type OrganisationCreateForm = z.infer<typeof OrganisationCreateForm>;
export type OrganisationInput = Omit<OrganisationCreateForm, 'submissionToken'>;

export const OrganisationEditForm = z.object({ ...organisationFields, version: versionField() });
export type OrganisationEditForm = z.infer<typeof OrganisationEditForm>;
