import { REFERRAL_SERVICE_KINDS, REFERRAL_STATUSES } from '../db/schema';
import type { OrganisationOption } from '../directory/service';
import type { Formatters } from '../lib/format';
import type { Translate } from '../platform/i18n';
import type { VisibleReferralRow } from './service';

/** Each field's label, for the form, its error summary and the conflict page. */
export const FIELD_LABELS: Record<string, string> = {
  serviceKind: 'referrals.fields.serviceKind',
  organisationId: 'referrals.fields.organisationId',
  newOrganisationName: 'referrals.fields.newOrganisationName',
  newOrganisationKind: 'referrals.fields.newOrganisationKind',
  newOrganisationRegion: 'referrals.fields.newOrganisationRegion',
  newOrganisationPhone: 'referrals.fields.newOrganisationPhone',
  newOrganisationEmail: 'referrals.fields.newOrganisationEmail',
  reason: 'referrals.fields.reason',
  referredOn: 'referrals.fields.referredOn',
  followUpOn: 'referrals.fields.followUpOn',
  status: 'referrals.fields.status',
  closedOn: 'referrals.fields.closedOn',
};

/** The fields the conflict page compares (the new-organisation fields are empty on a stored referral). */
export const CONFLICT_FIELDS = ['serviceKind', 'organisationId', 'reason', 'referredOn', 'followUpOn', 'status', 'closedOn'];

/** A stored referral as the edit form shows it. */
export function formValuesOf(referral: VisibleReferralRow, fmt: Formatters): Record<string, string> {
  return {
    serviceKind: referral.serviceKind,
    organisationId: String(referral.organisationId),
    reason: referral.reason,
    referredOn: fmt.dateInput(referral.referredOn),
    followUpOn: fmt.dateInput(referral.followUpOn),
    status: referral.status,
    closedOn: fmt.dateInput(referral.closedOn),
    version: String(referral.version),
  };
}

/** Form values as the conflict page shows them: words instead of codes, the organisation by name. */
export function readableValues(
  values: Record<string, string>,
  t: Translate,
  organisations: readonly OrganisationOption[],
): Record<string, string> {
  const kind = values.serviceKind ?? '';
  const status = values.status ?? '';
  const organisation = organisations.find((option) => String(option.id) === values.organisationId);
  return {
    ...values,
    serviceKind: (REFERRAL_SERVICE_KINDS as readonly string[]).includes(kind) ? t(`referrals.serviceKinds.${kind}`) : kind,
    organisationId: organisation ? organisation.name : (values.newOrganisationName ?? values.organisationId ?? ''),
    status: (REFERRAL_STATUSES as readonly string[]).includes(status) ? t(`referrals.status.${status}`) : status,
  };
}

/** The referrals section of the participant's profile. */
export function profileReferrals(participantId: number): string {
  return `/participants/${participantId}#referrals`;
}
