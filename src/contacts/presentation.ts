import { DateTime } from 'luxon';
import type { Formatters } from '../lib/format';
import type { Translate } from '../platform/i18n';
import type { ContactRecord, EditRefusal, LinkedGoalRow } from './service';
import type { CoveringTrajectoryRow } from '../trajectories/service';

/** Each field's label, for the forms, their error summary and the conflict page. */
export const FIELD_LABELS: Record<string, string> = {
  occurredDate: 'contacts.fields.occurredDate',
  occurredTime: 'contacts.fields.occurredTime',
  channel: 'contacts.fields.channel',
  counterpart: 'contacts.fields.counterpart',
  employerId: 'contacts.fields.employer',
  employerContactId: 'contacts.fields.employerContact',
  outcome: 'contacts.fields.outcome',
  durationMinutes: 'contacts.fields.durationMinutes',
  summary: 'contacts.fields.summary',
  wellbeingMood: 'contacts.wellbeing.mood.label',
  wellbeingRhythm: 'contacts.wellbeing.rhythm.label',
  wellbeingSocial: 'contacts.wellbeing.social.label',
  wellbeingActivity: 'contacts.wellbeing.activity.label',
  nextShortcut: 'contacts.fields.nextShortcut',
  nextContactDate: 'contacts.fields.nextContactDate',
  nextContactTime: 'contacts.fields.nextContactTime',
  trajectoryId: 'contacts.fields.trajectory',
  goalIds: 'contacts.fields.goals',
  body: 'contacts.addenda.body',
};

/** The edit form's fields in the order the conflict page compares them. */
export const EDIT_FIELDS = [
  'occurredDate',
  'occurredTime',
  'channel',
  'counterpart',
  'outcome',
  'durationMinutes',
  'summary',
  'wellbeingMood',
  'wellbeingRhythm',
  'wellbeingSocial',
  'wellbeingActivity',
  'nextContactDate',
  'nextContactTime',
] as const;

export const EDIT_REFUSAL_NOTICES: Record<EditRefusal, string> = {
  notAuthor: 'contacts.detail.editNotAuthor',
  windowClosed: 'contacts.detail.editWindowClosed',
  participantClosed: 'contacts.detail.participantClosed',
};

export const DETAIL_NOTICES = {
  updated: 'contacts.notices.updated',
  addendumAdded: 'contacts.notices.addendumAdded',
} as const;

/** A stored contact moment as the edit form shows it. */
export function formValuesOf(
  contact: ContactRecord,
  goals: LinkedGoalRow[],
  fmt: Formatters,
  timeZone: string,
): Record<string, string> {
  const occurred = DateTime.fromJSDate(contact.occurredAt).setZone(timeZone);
  const text = (value: number | null) => (value === null ? '' : String(value));
  return {
    occurredDate: fmt.dateInput(occurred.toISODate()),
    occurredTime: occurred.toFormat('HH:mm'),
    channel: contact.channel,
    counterpart: contact.counterpart,
    employerId: text(contact.employerId),
    employerContactId: text(contact.employerContactId),
    outcome: contact.outcome,
    durationMinutes: String(contact.durationMinutes),
    summary: contact.summary ?? '',
    wellbeingMood: text(contact.wellbeingMood),
    wellbeingRhythm: text(contact.wellbeingRhythm),
    wellbeingSocial: text(contact.wellbeingSocial),
    wellbeingActivity: text(contact.wellbeingActivity),
    nextContactDate: fmt.dateInput(contact.nextContactDate),
    nextContactTime: contact.nextContactTime?.slice(0, 5) ?? '',
    goalIds: goals.map((goal) => goal.goalId).join(','),
    // Empty unless the coach chose it: then a new date takes the trajectory of that day.
    trajectoryId: contact.trajectoryChosen && contact.trajectoryId !== null ? String(contact.trajectoryId) : '',
    version: String(contact.version),
  };
}

/** Today's date and the current time in the organisation's zone, as the form shows them. */
export function nowAsFormValues(
  now: DateTime,
  fmt: Formatters,
  timeZone: string,
): { occurredDate: string; occurredTime: string } {
  const local = now.setZone(timeZone);
  return { occurredDate: fmt.dateInput(local.toISODate()), occurredTime: local.toFormat('HH:mm') };
}

/** Form values shown as words on the conflict page (a channel's name rather than its code). */
export function readableValues(values: Record<string, string>, t: Translate): Record<string, string> {
  const readable = { ...values };
  for (const [field, prefix] of [
    ['channel', 'contacts.channels.'],
    ['counterpart', 'contacts.counterparts.'],
    ['outcome', 'contacts.outcomes.'],
  ] as const) {
    if (readable[field]) readable[field] = t(prefix + readable[field]);
  }
  return readable;
}

/** A trajectory as the contact form and page name it: commissioner, kind and dates. */
export function trajectoryLabel(
  trajectory: { commissionerName: string; kind?: string; startDate: string; actualEndDate: string | null },
  { t, fmt }: { t: Translate; fmt: Formatters },
): string {
  const dates = t('contacts.trajectory.dates', {
    from: fmt.date(trajectory.startDate),
    to: trajectory.actualEndDate ? fmt.date(trajectory.actualEndDate) : t('contacts.trajectory.open'),
  });
  const kind = trajectory.kind ? ` · ${t(`trajectories.kinds.${trajectory.kind}`)}` : '';
  return `${trajectory.commissionerName}${kind} · ${dates}`;
}

/** The contact form's trajectory choice: "the one open on that day" first, then each overlapping trajectory. */
export function trajectoryOptionsOf(
  trajectories: CoveringTrajectoryRow[],
  wording: { t: Translate; fmt: Formatters },
): Array<{ value: string; label: string }> {
  if (trajectories.length === 0) return [];
  return [
    { value: '', label: wording.t('contacts.trajectory.automatic') },
    ...trajectories.map((trajectory) => ({ value: String(trajectory.id), label: trajectoryLabel(trajectory, wording) })),
  ];
}

/** The trajectory a stored contact counts in, named for its page; null when it counts in none. */
export function trajectoryNameOf(contact: ContactRecord, wording: { t: Translate; fmt: Formatters }): string | null {
  if (contact.trajectoryId === null || contact.trajectoryCommissionerName === null || contact.trajectoryStartDate === null) {
    return null;
  }
  return trajectoryLabel(
    {
      commissionerName: contact.trajectoryCommissionerName,
      startDate: contact.trajectoryStartDate,
      actualEndDate: contact.trajectoryEndDate,
    },
    wording,
  );
}
