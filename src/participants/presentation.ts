import type { Formatters } from '../lib/format';
import type { ParticipantRecord } from './service';
import type { ParticipantListQuery } from './schemas';

/** Each field's label, for the forms, their error summary and the conflict page. */
export const FIELD_LABELS: Record<string, string> = {
  firstName: 'participants.fields.firstName',
  lastName: 'participants.fields.lastName',
  dateOfBirth: 'participants.fields.dateOfBirth',
  phone: 'participants.fields.phone',
  email: 'participants.fields.email',
  addressLine: 'participants.fields.addressLine',
  postalCode: 'participants.fields.postalCode',
  city: 'participants.fields.city',
  preferredChannel: 'participants.fields.preferredChannel',
  languageSupport: 'participants.fields.languageSupport',
  externalReference: 'participants.fields.externalReference',
  status: 'participants.fields.status',
  coachId: 'participants.fields.coach',
  closedOn: 'participants.close.closedOn',
  outcome: 'participants.close.outcome',
};

/**
 * What the profile says after a change made elsewhere sent the person back to it (?done=…): the
 * participant's own forms and those of its trajectories, placements, contacts, referrals and risk.
 */
export const PROFILE_NOTICES = {
  created: 'participants.profile.created',
  updated: 'participants.profile.updated',
  closed: 'participants.profile.closed',
  trajectoryCreated: 'participants.profile.trajectoryCreated',
  trajectoryUpdated: 'participants.profile.trajectoryUpdated',
  trajectoryClosed: 'participants.profile.trajectoryClosed',
  placementCreated: 'participants.profile.placementCreated',
  placementUpdated: 'participants.profile.placementUpdated',
  placementPaused: 'participants.profile.placementPaused',
  placementResumed: 'participants.profile.placementResumed',
  placementEnded: 'participants.profile.placementEnded',
  placementHoursChanged: 'participants.profile.placementHoursChanged',
  contactLogged: 'participants.profile.contactLogged',
  referralCreated: 'referrals.notices.created',
  referralUpdated: 'referrals.notices.updated',
  networkCreated: 'network.notices.created',
  networkUpdated: 'network.notices.updated',
  networkEnded: 'network.notices.ended',
  consentRecorded: 'consents.notices.recorded',
  consentWithdrawn: 'consents.notices.withdrawn',
  riskAcknowledged: 'risk.acknowledge.done',
} as const;

/** The form's fields as the person sees them, for the edit form and the conflict page. */
export function formValuesOf(participant: ParticipantRecord, fmt: Formatters): Record<string, string> {
  return {
    firstName: participant.firstName,
    lastName: participant.lastName,
    dateOfBirth: fmt.dateInput(participant.dateOfBirth),
    phone: participant.phone ?? '',
    email: participant.email ?? '',
    addressLine: participant.addressLine ?? '',
    postalCode: participant.postalCode ?? '',
    city: participant.city ?? '',
    preferredChannel: participant.preferredChannel,
    languageSupport: participant.languageSupport ?? '',
    externalReference: participant.externalReference ?? '',
    status: participant.status,
    coachId: String(participant.coachId),
    version: String(participant.version),
  };
}

/** The fields the conflict page compares: every labelled one the edit form has, but the coach. */
export function conflictFields(current: Record<string, string>): string[] {
  return Object.keys(FIELD_LABELS).filter((field) => field in current && field !== 'coachId');
}

/** The list's filters as a query string (without page), so pagination and sorting keep them. */
export function listQueryString(filters: ParticipantListQuery): string {
  const query = new URLSearchParams();
  if (filters.q) query.set('q', filters.q);
  if (filters.status !== 'open') query.set('status', filters.status);
  if (filters.coach) query.set('coach', String(filters.coach));
  if (filters.team) query.set('team', String(filters.team));
  if (filters.risk !== 'all') query.set('risk', filters.risk);
  if (filters.sort !== 'name') query.set('sort', filters.sort);
  if (filters.dir !== 'asc') query.set('dir', filters.dir);
  return query.toString();
}

/** Whether the list shows fewer than all the viewer's open participants: the empty state says so. */
export function isListFiltered(filters: ParticipantListQuery): boolean {
  return Boolean(filters.q || filters.coach || filters.team || filters.status !== 'open' || filters.risk !== 'all');
}
