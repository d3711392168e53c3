import type { ContactRecord, EmployerRecord } from './service';
import type { EmployerListQuery } from './schemas';

/** Each employer field's label, for the form, its error summary and the conflict page. */
export const EMPLOYER_LABELS: Record<string, string> = {
  name: 'employers.fields.name',
  sector: 'employers.fields.sector',
  addressLine: 'employers.fields.addressLine',
  postalCode: 'employers.fields.postalCode',
  city: 'employers.fields.city',
  phone: 'employers.fields.phone',
  notes: 'employers.fields.notes',
};

/** Each contact person field's label, for the form, its error summary and the conflict page. */
export const CONTACT_LABELS: Record<string, string> = {
  name: 'employers.contactFields.name',
  role: 'employers.contactFields.role',
  jobTitle: 'employers.contactFields.jobTitle',
  phone: 'employers.contactFields.phone',
  email: 'employers.contactFields.email',
};

/** The notices the profile shows after a change (views/employers/profile.ejs words them). */
export const PROFILE_NOTICES = {
  created: 'created',
  updated: 'updated',
  contactCreated: 'contactCreated',
  contactUpdated: 'contactUpdated',
} as const;

/** The form's fields as the person sees them, for the edit form and the conflict page. */
export function employerValuesOf(employer: EmployerRecord): Record<string, string> {
  return {
    name: employer.name,
    sector: employer.sector,
    addressLine: employer.addressLine ?? '',
    postalCode: employer.postalCode ?? '',
    city: employer.city ?? '',
    phone: employer.phone ?? '',
    notes: employer.notes ?? '',
    version: String(employer.version),
  };
}

export function contactValuesOf(contact: ContactRecord): Record<string, string> {
  return {
    name: contact.name,
    role: contact.role,
    jobTitle: contact.jobTitle ?? '',
    phone: contact.phone ?? '',
    email: contact.email ?? '',
    version: String(contact.version),
  };
}

/** The conflict page compares what people read, so choice fields show their label, not their code. */
export function readable(values: Record<string, string>, field: string, labelPrefix: string, t: (key: string) => string) {
  const value = values[field];
  return value ? { ...values, [field]: t(`${labelPrefix}.${value}`) } : values;
}

/** The list's filters as a query string (without page), so pagination keeps them. */
export function listQueryString(filters: EmployerListQuery): string {
  const query = new URLSearchParams();
  if (filters.q) query.set('q', filters.q);
  if (filters.sector) query.set('sector', filters.sector);
  return query.toString();
}
