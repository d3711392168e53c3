import { z } from 'zod';
import { EMPLOYER_CONTACT_ROLES, EMPLOYER_SECTORS } from '../db/schema';
import {
  choice,
  optionalPhone,
  optionalEmail,
  optionalText,
  requiredText,
  submissionToken,
  versionField,
} from '../lib/form-fields';

/** Fields a person types on the employer create and edit forms (lengths as the table's checks). */
const employerFields = {
  name: requiredText(150),
  sector: choice(EMPLOYER_SECTORS),
  addressLine: optionalText(200),
  postalCode: optionalText(12),
  city: optionalText(100),
  phone: optionalPhone(),
  notes: optionalText(4000),
};

export const EmployerCreateForm = z.object({ ...employerFields, submissionToken: submissionToken() });
export type EmployerCreateForm = z.infer<typeof EmployerCreateForm>;

export const EmployerEditForm = z.object({ ...employerFields, version: versionField() });
export type EmployerEditForm = z.infer<typeof EmployerEditForm>;

export type EmployerInput = Omit<EmployerCreateForm, 'submissionToken'>;

const contactFields = {
  name: requiredText(150),
  role: choice(EMPLOYER_CONTACT_ROLES),
  jobTitle: optionalText(100),
  phone: optionalPhone(),
  email: optionalEmail(),
};

export const ContactCreateForm = z.object({ ...contactFields, submissionToken: submissionToken() });
export type ContactCreateForm = z.infer<typeof ContactCreateForm>;

export const ContactEditForm = z.object({ ...contactFields, version: versionField() });
export type ContactEditForm = z.infer<typeof ContactEditForm>;

export type ContactInput = Omit<ContactCreateForm, 'submissionToken'>;

/** The list's query string: lenient, since people edit URLs; anything unusable is ignored. */
export const EmployerListQuery = z.object({
  q: z
    .string()
    .optional()
    .catch(undefined)
    .transform((value) => (value ?? '').trim().slice(0, 100)),
  sector: z.enum(EMPLOYER_SECTORS).optional().catch(undefined),
});
export type EmployerListQuery = z.infer<typeof EmployerListQuery>;

export const contactParams = z.object({
  id: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number),
  contactId: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number),
});
