import type { DateTime } from 'luxon';
import type { Locale } from '../config';
import type { Formatters } from '../lib/format';
import type { Translate } from '../platform/i18n';
import type { SubjectHandoverRow } from '../handovers/service';
import type { SubjectSupportRequestRow } from '../support/service';
import type { CoachingHours } from '../trajectories/service';
import type {
  SubjectAddendumRow,
  SubjectAuditEventRow,
  SubjectConsentRow,
  SubjectContactAttendeeRow,
  SubjectContactMomentRow,
  SubjectGoalProgressRow,
  SubjectGoalRow,
  SubjectNetworkPersonRow,
  SubjectParticipantRow,
  SubjectPlacementHoursRow,
  SubjectPlacementRow,
  SubjectReferralRow,
  SubjectReportNarrativeRow,
  SubjectReviewItemRow,
  SubjectRiskAcknowledgementRow,
  SubjectRiskSnapshotRow,
  SubjectTrajectoryRow,
} from './queries';

// What a subject-access export consists of: its files and the data they are made from.

/** Every data file is JSON; its name says which part of the record it holds. */
const json = <Name extends string>(name: Name): `${Name}.json` => `${name}.json`;

/** The data files, in the order the ZIP and the read-me list them; their names are the same in every language. */
export const DATA_FILES = {
  participant: json('participant'),
  trajectories: json('trajectories'),
  placements: json('placements'),
  contactMoments: json('contact-moments'),
  goals: json('goals'),
  referrals: json('referrals'),
  network: json('network'),
  consents: json('consents'),
  handovers: json('handovers'),
  riskAcknowledgements: json('risk-acknowledgements'),
  riskSnapshots: json('risk-snapshots'),
  reportNarratives: json('report-narratives'),
  qualityReviews: json('quality-reviews'),
  supportRequests: json('support-requests'),
  auditTrail: json('audit-trail'),
};
export type DataPart = keyof typeof DATA_FILES;
export const DATA_PARTS = Object.keys(DATA_FILES) as DataPart[];
export const SUMMARY_FILE = 'summary.pdf';

export interface DescribedFile {
  name: string;
  description: string;
}

/** Every file of the export with what it holds, in the reader's language (the read-me's name differs). */
export function exportFileList(t: Translate): DescribedFile[] {
  return [
    { name: t('subjectAccess.readme.fileName'), description: t('subjectAccess.files.readme') },
    { name: SUMMARY_FILE, description: t('subjectAccess.files.summary') },
    ...DATA_PARTS.map((part) => ({ name: DATA_FILES[part], description: t(`subjectAccess.files.${part}`) })),
  ];
}

export interface TrajectoryWithCoachingHours extends SubjectTrajectoryRow {
  hours: CoachingHours;
}

/** Everything held about the participant, as loaded in one snapshot. */
export interface SubjectAccessData {
  participant: SubjectParticipantRow;
  trajectories: TrajectoryWithCoachingHours[];
  placements: SubjectPlacementRow[];
  placementHours: SubjectPlacementHoursRow[];
  contactMoments: SubjectContactMomentRow[];
  contactAddenda: SubjectAddendumRow[];
  contactAttendees: SubjectContactAttendeeRow[];
  goalLinks: Array<{ contactMomentId: number; goalId: number }>;
  goals: SubjectGoalRow[];
  goalProgress: SubjectGoalProgressRow[];
  referrals: SubjectReferralRow[];
  networkPersons: SubjectNetworkPersonRow[];
  consents: SubjectConsentRow[];
  handovers: SubjectHandoverRow[];
  riskAcknowledgements: SubjectRiskAcknowledgementRow[];
  riskSnapshots: SubjectRiskSnapshotRow[];
  reportNarratives: SubjectReportNarrativeRow[];
  reviewItems: SubjectReviewItemRow[];
  supportRequests: SubjectSupportRequestRow[];
  auditEvents: SubjectAuditEventRow[];
}

/** What the files are made for: the reader's language, the organisation and the moment of export. */
export interface ExportContext {
  locale: Locale;
  t: Translate;
  fmt: Formatters;
  timeZone: string;
  organisationName: string;
  now: DateTime;
}
