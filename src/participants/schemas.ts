import { z } from 'zod';
import { CONTACT_CHANNELS_PREFERRED, PARTICIPANT_STATUSES, TRAJECTORY_OUTCOMES } from '../db/schema';
import {
  choice,
  optionalChoice,
  optionalDate,
  optionalEmail,
  optionalId,
  optionalPhone,
  optionalText,
  requiredDate,
  requiredText,
  submissionToken,
  versionField,
} from '../lib/form-fields';

export const OPEN_STATUSES = ['intake', 'active', 'paused'] as const;

/** Fields a person types on the create and edit forms. The coach is only read for managers and admins. */
const participantFields = {
  firstName: requiredText(100),
  lastName: requiredText(100),
  dateOfBirth: optionalDate(),
  phone: optionalPhone(),
  email: optionalEmail(),
  addressLine: optionalText(200),
  postalCode: optionalText(12),
  city: optionalText(100),
  preferredChannel: choice(CONTACT_CHANNELS_PREFERRED),
  languageSupport: optionalText(500),
  externalReference: optionalText(50),
  status: choice(OPEN_STATUSES),
  coachId: optionalId(),
};

export const ParticipantCreateForm = z.object({ ...participantFields, submissionToken: submissionToken() });
export type ParticipantCreateForm = z.infer<typeof ParticipantCreateForm>;

export const ParticipantEditForm = z.object({ ...participantFields, version: versionField() });
export type ParticipantEditForm = z.infer<typeof ParticipantEditForm>;

export type ParticipantInput = Omit<ParticipantCreateForm, 'submissionToken'>;

/**
 * The outcomes the participant's close form offers for the open trajectory: every one but the
 * handover, which is recorded by closing the trajectory itself (its form asks to whom, src/handovers).
 */
export const PARTICIPANT_CLOSE_OUTCOMES = TRAJECTORY_OUTCOMES.filter((outcome) => outcome !== 'handover');

export const ParticipantCloseForm = z.object({
  closedOn: requiredDate(),
  outcome: optionalChoice(TRAJECTORY_OUTCOMES).refine((outcome) => outcome !== 'handover', 'participants.close.handoverFirst'),
  version: versionField(),
});
export type ParticipantCloseForm = z.infer<typeof ParticipantCloseForm>;

export const SORTS = ['name', 'status', 'coach', 'updated'] as const;

/**
 * The risk filter, on the stored risk level: red, amber, either ("flagged"), or neither
 * ("unflagged": no signal, or not scored because not in an active trajectory). An acknowledged
 * flag keeps its level, as on the dashboard, so it is found under its level and marked in the row.
 */
export const RISK_FILTERS = ['all', 'flagged', 'red', 'amber', 'unflagged'] as const;
export type RiskFilter = (typeof RISK_FILTERS)[number];

/** The list's query string: lenient, since people edit URLs; anything unusable is ignored. */
export const ParticipantListQuery = z.object({
  q: z
    .string()
    .optional()
    .transform((value) => (value ?? '').trim().slice(0, 100)),
  status: z
    .enum([...PARTICIPANT_STATUSES, 'open', 'all'])
    .catch('open')
    .default('open'),
  coach: z.coerce.number().int().positive().max(2147483647).optional().catch(undefined),
  team: z.coerce.number().int().positive().max(2147483647).optional().catch(undefined),
  risk: z.enum(RISK_FILTERS).catch('all').default('all'),
  sort: z.enum(SORTS).catch('name').default('name'),
  dir: z.enum(['asc', 'desc']).catch('asc').default('asc'),
});
export type ParticipantListQuery = z.infer<typeof ParticipantListQuery>;
