import { REFERRAL_SERVICE_KINDS, REFERRAL_STATUSES } from '../db/schema';
import type { Formatters } from '../lib/format';
import type { Translate } from '../platform/i18n';
import type { VisibleReferralRow } from './service';

/** Each field's label, for the form, its error summary and the conflict page. */
export const FIELD_LABELS: Record<string, string> = {
  serviceKind: 'referrals.fields.serviceKind',
  organisation: 'referrals.fields.organisation',
  reason: 'referrals.fields.reason',
  referredOn: 'referrals.fields.referredOn',
  status: 'referrals.fields.status',
  closedOn: 'referrals.fields.closedOn',
};

/** A stored referral as the edit form shows it. */
export function formValuesOf(referral: VisibleReferralRow, fmt: Formatters): Record<string, string> {
  return {
    serviceKind: referral.serviceKind,
    organisation: referral.organisation,
    reason: referral.reason,
    referredOn: fmt.dateInput(referral.referredOn),
    status: referral.status,
    closedOn: fmt.dateInput(referral.closedOn),
    version: String(referral.version),
  };
}

/** Form values as the conflict page shows them: words instead of codes. */
export function readableValues(values: Record<string, string>, t: Translate): Record<string, string> {
  const kind = values.serviceKind ?? '';
  const status = values.status ?? '';
  return {
    ...values,
    serviceKind: (REFERRAL_SERVICE_KINDS as readonly string[]).includes(kind) ? t(`referrals.serviceKinds.${kind}`) : kind,
    status: (REFERRAL_STATUSES as readonly string[]).includes(status) ? t(`referrals.status.${status}`) : status,
  };
}

/** The referrals section of the participant's profile. */
export function profileReferrals(participantId: number): string {
  return `/participants/${participantId}#referrals`;
}
