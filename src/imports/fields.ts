import type { ImportKind } from '../db/schema';

// The columns each kind of import reads, and the headers they are recognised by. A header matches
// when it equals one of the names below after normalising (lower case, accents and everything but
// letters and digits dropped), so "Geboortedatum", "geboorte datum" and "Date of birth" all match.
// The first Dutch and the first English name are the ones the templates carry.

export interface ImportField {
  key: string;
  required: boolean;
  /** Header names, Dutch first, then English: normalised when compared. */
  nl: string[];
  en: string[];
}

const field = (key: string, required: boolean, nl: string[], en: string[]): ImportField => ({ key, required, nl, en });

export const IMPORT_FIELDS: Record<ImportKind, readonly ImportField[]> = {
  participants: [
    field('reference', false, ['Referentie', 'Dossiernummer', 'Externe referentie'], ['Reference', 'External reference']),
    field('firstName', true, ['Voornaam'], ['First name', 'Given name']),
    field('lastName', true, ['Achternaam', 'Familienaam', 'Naam'], ['Last name', 'Surname', 'Family name']),
    field('dateOfBirth', false, ['Geboortedatum'], ['Date of birth', 'Birth date', 'Birthdate']),
    field('phone', false, ['Telefoon', 'Telefoonnummer', 'GSM'], ['Phone', 'Phone number', 'Telephone']),
    field('email', false, ['E-mail', 'E-mailadres', 'Email'], ['Email', 'Email address', 'E-mail address']),
    field('addressLine', false, ['Adres', 'Straat en huisnummer'], ['Address', 'Street']),
    field('postalCode', false, ['Postcode'], ['Postal code', 'Postcode', 'Zip code']),
    field('city', false, ['Woonplaats', 'Gemeente', 'Plaats'], ['City', 'Town']),
    field(
      'coachEmail',
      true,
      ['Jobcoach (e-mail)', 'Jobcoach', 'Coach e-mail', 'Coach'],
      ['Job coach (email)', 'Job coach', 'Coach email'],
    ),
    field('commissioner', false, ['Opdrachtgever'], ['Commissioner']),
    field('trajectoryKind', false, ['Soort traject', 'Trajectsoort'], ['Trajectory kind', 'Kind of trajectory']),
    field('trajectoryReference', false, ['Trajectreferentie', 'Referentie traject'], ['Trajectory reference']),
    field('trajectoryStart', false, ['Start traject', 'Startdatum traject', 'Trajectstart'], ['Trajectory start', 'Start date']),
    field(
      'trajectoryPlannedEnd',
      false,
      ['Geplande einddatum', 'Gepland einde traject', 'Einde traject'],
      ['Planned end', 'Trajectory planned end'],
    ),
    field('grantedHours', false, ['Toegekende uren', 'Uren toegekend'], ['Granted hours', 'Hours granted']),
  ],
  employers: [
    field('name', true, ['Werkgever', 'Naam werkgever', 'Naam'], ['Employer', 'Employer name', 'Name']),
    field('sector', false, ['Sector'], ['Sector']),
    field('addressLine', false, ['Adres', 'Straat en huisnummer'], ['Address', 'Street']),
    field('postalCode', false, ['Postcode'], ['Postal code', 'Postcode', 'Zip code']),
    field('city', false, ['Plaats', 'Gemeente', 'Vestigingsplaats'], ['City', 'Town']),
    field('phone', false, ['Telefoon', 'Telefoonnummer'], ['Phone', 'Phone number', 'Telephone']),
    field('contactName', false, ['Contactpersoon', 'Naam contactpersoon'], ['Contact person', 'Contact name']),
    field('contactRole', false, ['Rol contactpersoon', 'Rol'], ['Contact role', 'Role']),
    field('contactJobTitle', false, ['Functie contactpersoon', 'Functie'], ['Contact job title', 'Job title']),
    field('contactPhone', false, ['Telefoon contactpersoon'], ['Contact phone']),
    field('contactEmail', false, ['E-mail contactpersoon'], ['Contact email']),
  ],
  placements: [
    field(
      'participantReference',
      true,
      ['Referentie deelnemer', 'Referentie', 'Dossiernummer'],
      ['Participant reference', 'Reference'],
    ),
    field('employer', true, ['Werkgever'], ['Employer']),
    field('employerAddress', false, ['Adres werkgever'], ['Employer address']),
    field('kind', true, ['Soort plaatsing', 'Soort'], ['Placement kind', 'Kind']),
    field('jobTitle', true, ['Functie'], ['Job title', 'Role']),
    field('hoursPerWeek', true, ['Uren per week', 'Uren'], ['Hours per week', 'Hours']),
    field('startDate', true, ['Startdatum', 'Start'], ['Start date', 'Start']),
    field('plannedEndDate', false, ['Geplande einddatum', 'Gepland einde'], ['Planned end', 'Planned end date']),
  ],
};

/** A header as it is compared: lower case, without accents, only letters and digits. */
export function normaliseHeader(header: string): string {
  return header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** The field a header names in either language, if any. */
export function fieldForHeader(kind: ImportKind, header: string): ImportField | undefined {
  const wanted = normaliseHeader(header);
  if (wanted === '') return undefined;
  return IMPORT_FIELDS[kind].find((candidate) =>
    [...candidate.nl, ...candidate.en].some((name) => normaliseHeader(name) === wanted),
  );
}

/** The header a template carries for a field, in the reader's language. */
export function templateHeader(candidate: ImportField, language: 'nl' | 'en'): string {
  return language === 'en' ? candidate.en[0]! : candidate.nl[0]!;
}

/**
 * The coded values a cell may name, by their code or their Dutch or English word (compared
 * normalised, like headers): "Betaald werk", "paid job" and "paid_job" are all `paid_job`.
 */
export const CHOICE_NAMES = {
  trajectoryKind: {
    jobcoaching: ['Jobcoaching', 'Job coaching'],
    work_experience: ['Werkervaringstraject', 'Werkervaring', 'Work experience'],
    reintegration: ['Re-integratie', 'Reintegratie', 'Reintegration'],
    other: ['Anders', 'Overig', 'Other'],
  },
  sector: {
    hospitality: ['Horeca', 'Hospitality'],
    retail: ['Detailhandel', 'Kringloop', 'Detailhandel/kringloop', 'Retail'],
    cleaning: ['Schoonmaak', 'Cleaning'],
    bicycle_repair: ['Fietsenmakerij', 'Bicycle repair'],
    care: ['Zorg', 'Care'],
    green_maintenance: ['Groenonderhoud', 'Green maintenance'],
    logistics: ['Logistiek', 'Logistics'],
    manufacturing: ['Productie', 'Manufacturing'],
    public_sector: ['Overheid', 'Public sector'],
    other: ['Anders', 'Overig', 'Other'],
  },
  contactRole: {
    supervisor: ['Begeleider', 'Begeleider op de werkvloer', 'Supervisor'],
    hr: ['HR', 'Personeelszaken', 'HR / personeelszaken'],
    other: ['Anders', 'Overig', 'Other'],
  },
  placementKind: {
    paid_job: ['Betaald werk', 'Paid job'],
    work_experience: ['Werkervaringsplek', 'Werkervaring', 'Work experience'],
    volunteering: ['Vrijwilligerswerk', 'Volunteering'],
    day_activity: ['Dagbesteding', 'Day activity'],
    education: ['Opleiding', 'Education'],
  },
} as const;

export type ChoiceList = keyof typeof CHOICE_NAMES;

/** The code a cell names in a list of choices, or null when it names none. */
export function choiceFor<L extends ChoiceList>(list: L, text: string): keyof (typeof CHOICE_NAMES)[L] | null {
  const wanted = normaliseHeader(text);
  for (const [code, names] of Object.entries(CHOICE_NAMES[list]) as Array<[string, readonly string[]]>) {
    if (normaliseHeader(code) === wanted || names.some((name) => normaliseHeader(name) === wanted)) {
      return code as keyof (typeof CHOICE_NAMES)[L];
    }
  }
  return null;
}
