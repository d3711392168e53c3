import { PLACEMENT_KINDS } from '../db/schema';
import type { Formatters } from '../lib/format';
import type { Viewer } from '../lib/viewer';
import type { Translate } from '../platform/i18n';
import { hoursOn, type ContactOption, type PlacementDetail } from './service';

/** Each field's label, for the forms, their error summary and the conflict page. */
export const FIELD_LABELS: Record<string, string> = {
  employerId: 'placements.form.employer',
  supervisorContactId: 'placements.form.supervisor',
  kind: 'placements.form.kind',
  jobTitle: 'placements.form.jobTitle',
  startDate: 'placements.form.startDate',
  plannedEndDate: 'placements.form.plannedEndDate',
  hoursPerWeek: 'placements.form.hoursPerWeek',
  pauseReason: 'placements.pause.reason',
  pausedSince: 'placements.pause.pausedSince',
  resumedOn: 'placements.resume.resumedOn',
  endDate: 'placements.end.endDate',
  effectiveFrom: 'placements.hours.effectiveFrom',
  note: 'placements.hours.note',
};

/** The edit form's fields in the order the conflict page lists them. */
export const EDIT_FIELDS = ['kind', 'jobTitle', 'supervisorContactId', 'startDate', 'plannedEndDate'] as const;

/** The pages that change a placement's state or hours, each with its own view (views/placements/<action>.ejs). */
export type Action = 'pause' | 'resume' | 'end' | 'hours';

/** Which placements an action applies to: the profile shows its link only then. */
export const ACTION_APPLIES: Record<Action | 'edit', (placement: PlacementDetail) => boolean> = {
  edit: (placement) => placement.status !== 'ended',
  pause: (placement) => placement.status === 'active',
  resume: (placement) => placement.status === 'paused',
  end: (placement) => placement.status !== 'ended',
  hours: (placement) => placement.status === 'active',
};

/** The profile names what just happened rather than a generic "changed". */
export const DONE_NOTICE: Record<Action, string> = {
  pause: 'placementPaused',
  resume: 'placementResumed',
  end: 'placementEnded',
  hours: 'placementHoursChanged',
};

/** The generic number message does not say which range applies; for hours it does. */
export function withHoursMessage(errors: Record<string, string>): Record<string, string> {
  return errors.hoursPerWeek === 'validation.number' ? { ...errors, hoursPerWeek: 'placements.form.hoursRange' } : errors;
}

/** Hours as a form shows them again: 24 or 12,5 (12.5 in English). */
export function hoursInput(fmt: Formatters, hours: number | null): string {
  return hours === null ? '' : fmt.number(hours, hours % 1 ? 1 : 0);
}

export interface SupervisorGroup {
  employerId: number;
  employerName: string;
  contacts: Array<{ id: number; name: string; role: ContactOption['role'] }>;
}

/** The supervisor choices as the form groups them: per employer, in the order given. */
export function groupByEmployer(contacts: ContactOption[]): SupervisorGroup[] {
  const groups: SupervisorGroup[] = [];
  for (const contact of contacts) {
    let group = groups.at(-1);
    if (!group || group.employerId !== contact.employerId) {
      group = { employerId: contact.employerId, employerName: contact.employerName, contacts: [] };
      groups.push(group);
    }
    group.contacts.push({ id: contact.id, name: contact.name, role: contact.role });
  }
  return groups;
}

/** A stored placement as the edit form shows it. */
export function formValuesOf(placement: PlacementDetail, fmt: Formatters): Record<string, string> {
  return {
    kind: placement.kind,
    jobTitle: placement.jobTitle,
    supervisorContactId: placement.supervisorContactId === null ? '' : String(placement.supervisorContactId),
    startDate: fmt.dateInput(placement.startDate),
    plannedEndDate: placement.plannedEndDate === null ? '' : fmt.dateInput(placement.plannedEndDate),
    version: String(placement.version),
  };
}

/** Edit form values shown as words on the conflict page: the kind's name and the supervisor's. */
export function readableValues(
  values: Record<string, string>,
  supervisors: ContactOption[],
  t: Translate,
): Record<string, string> {
  const kind = values.kind ?? '';
  return {
    ...values,
    kind: (PLACEMENT_KINDS as readonly string[]).includes(kind) ? t(`placements.kinds.${kind}`) : kind,
    supervisorContactId: supervisors.find((contact) => String(contact.id) === values.supervisorContactId)?.name ?? '',
  };
}

/** Hours before the pause (the last non-zero figure), offered again when resuming. */
function hoursBeforePause(placement: PlacementDetail): number | null {
  const pausedSince = placement.pausedSince ?? placement.startDate;
  return placement.hoursHistory.find((row) => row.effectiveFrom < pausedSince && row.hoursPerWeek > 0)?.hoursPerWeek ?? null;
}

/** The pause form as it opens: paused from today. */
export function pauseValuesOf(placement: PlacementDetail, viewer: Viewer, fmt: Formatters): Record<string, string> {
  return { pauseReason: '', pausedSince: fmt.dateInput(viewer.today), version: String(placement.version) };
}

/** The resume form as it opens: from today, with the hours worked before the pause. */
export function resumeValuesOf(placement: PlacementDetail, viewer: Viewer, fmt: Formatters): Record<string, string> {
  return {
    resumedOn: fmt.dateInput(viewer.today),
    hoursPerWeek: hoursInput(fmt, hoursBeforePause(placement)),
    version: String(placement.version),
  };
}

/** The end form as it opens: ended today. */
export function endValuesOf(placement: PlacementDetail, viewer: Viewer, fmt: Formatters): Record<string, string> {
  return { endDate: fmt.dateInput(viewer.today), version: String(placement.version) };
}

/** The hours form as it opens: from today, with the hours in force today. */
export function hoursValuesOf(placement: PlacementDetail, viewer: Viewer, fmt: Formatters): Record<string, string> {
  return {
    effectiveFrom: fmt.dateInput(viewer.today),
    hoursPerWeek: hoursInput(fmt, hoursOn(placement.hoursHistory, viewer.today)),
    note: '',
  };
}
