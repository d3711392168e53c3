import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { recordAuditEvent } from '../platform/audit/service';
import { FormRejection, notFound } from '../lib/errors';
import type { Viewer } from '../lib/viewer';
import { createOnce, type SubmissionOutcome } from '../platform/submissions/service';
import {
  countPastStandins,
  findAwayPeriod,
  findCoachesInScope,
  findManageableStandin,
  findOverlappingStandin,
  insertCoveredParticipants,
  insertStandin,
  listCoveredParticipants,
  listCurrentStandins,
  listOpenParticipantsOfCoach,
  listPastStandins,
  listStandinCoachOptions,
  listUpcomingStandins,
  lockCoaches,
  markStandinCancelled,
  type CaseloadParticipantOption,
  type CoachOption,
  type CoveredParticipant,
  type OverlappingStandin,
  type StandinRow,
} from './queries';
import type { StandinInput } from './schemas';

export type { CaseloadParticipantOption, CoachOption, StandinRow } from './queries';

/** A stand-in as the list shows it, with what this viewer may do with it. */
export interface StandinListItem extends StandinRow {
  canCancel: boolean;
  /** A split stand-in's chosen participants (empty for a whole caseload). */
  participants: CoveredParticipant[];
}

export interface StandinOverview {
  current: StandinListItem[];
  upcoming: StandinListItem[];
  past: StandinListItem[];
  pastTotal: number;
}

export function mayArrangeStandins(viewer: Viewer): boolean {
  return viewer.role === 'manager' || viewer.role === 'admin';
}

/** Cancelling only makes sense while the stand-in still grants access or is yet to start. */
function isCancellable(row: StandinRow, today: string): boolean {
  return row.cancelledAt === null && row.endsOn >= today;
}

function mayCancel(viewer: Viewer, row: StandinRow): boolean {
  if (viewer.role === 'admin') return true;
  return viewer.role === 'manager' && viewer.teamId !== null && row.absentTeamId === viewer.teamId;
}

export async function standinOverview(
  db: Kysely<Database>,
  viewer: Viewer,
  pastPage: { limit: number; offset: number },
): Promise<StandinOverview> {
  const [current, upcoming, past, pastTotal] = await Promise.all([
    listCurrentStandins(db, viewer),
    listUpcomingStandins(db, viewer),
    listPastStandins(db, viewer, pastPage),
    countPastStandins(db, viewer),
  ]);
  const split = [...current, ...upcoming, ...past].filter((row) => row.covers === 'participants').map((row) => row.id);
  const covered = await listCoveredParticipants(db, split);
  const withActions = (rows: StandinRow[]): StandinListItem[] =>
    rows.map((row) => ({
      ...row,
      canCancel: isCancellable(row, viewer.today) && mayCancel(viewer, row),
      participants: covered.filter((participant) => participant.standinId === row.id),
    }));
  return { current: withActions(current), upcoming: withActions(upcoming), past: withActions(past), pastTotal };
}

export async function standinCoachOptions(db: Kysely<Database>, viewer: Viewer): Promise<CoachOption[]> {
  return listStandinCoachOptions(db, viewer);
}

/**
 * The open participants of the absent coach the form names, when the viewer may arrange a stand-in
 * for that coach (else none: the form then asks to choose a coach first).
 */
export async function participantsToChoose(
  db: Kysely<Database>,
  viewer: Viewer,
  absentCoachId: number | null,
): Promise<CaseloadParticipantOption[]> {
  if (!mayArrangeStandins(viewer) || absentCoachId === null) return [];
  const [coach] = await findCoachesInScope(db, viewer, [absentCoachId]);
  if (!coach) return [];
  return listOpenParticipantsOfCoach(db, absentCoachId);
}

/** The form is rejected because the chosen stand-in is away themselves (someone stands in for them) in the period. */
export class AwayRejection extends FormRejection {
  constructor(readonly away: { startsOn: string; endsOn: string }) {
    super({ standinCoachId: 'standins.form.standinAway' });
    this.name = 'AwayRejection';
  }
}

/** The form is rejected because the absent coach already has a stand-in in (part of) the period. */
export class OverlapRejection extends FormRejection {
  constructor(readonly overlapping: OverlappingStandin) {
    super({ startsOn: 'standins.form.overlap' });
    this.name = 'OverlapRejection';
  }
}

/**
 * Both coaches must be the viewer's to arrange (a manager: their team; an admin: any coach).
 * A coach outside that scope can only come from a crafted form, so it is a 404 like any other
 * record the viewer may not touch; a coach of the team who was deactivated meanwhile gets a
 * message at the field instead.
 */
async function checkCoaches(db: Kysely<Database>, viewer: Viewer, input: StandinInput): Promise<void> {
  const found = await findCoachesInScope(db, viewer, [input.absentCoachId, input.standinCoachId]);
  const byId = new Map(found.map((coach) => [coach.id, coach]));
  const absent = byId.get(input.absentCoachId);
  const standin = byId.get(input.standinCoachId);
  if (!absent || !standin) throw notFound();
  const errors: Record<string, string> = {};
  if (!absent.active) errors.absentCoachId = 'standins.form.coachInactive';
  if (!standin.active) errors.standinCoachId = 'standins.form.coachInactive';
  if (Object.keys(errors).length > 0) throw new FormRejection(errors);
}

/**
 * The chosen participants must be open participants of the absent coach: a closed one or one of
 * another coach can only come from a stale or crafted form, and is named at the field.
 */
async function checkChosenParticipants(db: Kysely<Database>, absentCoachId: number, participantIds: readonly number[]) {
  if (participantIds.length === 0) throw new FormRejection({ participantIds: 'standins.form.chooseParticipants' });
  const open = new Set((await listOpenParticipantsOfCoach(db, absentCoachId)).map((participant) => participant.id));
  if (participantIds.some((id) => !open.has(id)))
    throw new FormRejection({ participantIds: 'standins.form.participantNotInCaseload' });
}

export async function createStandin(
  db: Kysely<Database>,
  viewer: Viewer,
  input: StandinInput,
  submissionToken: string,
  now: Date,
): Promise<SubmissionOutcome<number>> {
  if (!mayArrangeStandins(viewer)) throw notFound();
  await checkCoaches(db, viewer, input);
  // A stand-in that is already over would open nothing: most likely a typing mistake.
  if (input.endsOn < viewer.today) throw new FormRejection({ endsOn: 'standins.form.endInPast' });
  const participantIds = input.covers === 'participants' ? input.participantIds : [];
  if (input.covers === 'participants') await checkChosenParticipants(db, input.absentCoachId, participantIds);
  const period = { startsOn: input.startsOn, endsOn: input.endsOn };
  return createOnce(db, submissionToken, viewer.userId, now, async (trx) => {
    await lockCoaches(trx, [input.absentCoachId, input.standinCoachId]);
    const away = await findAwayPeriod(trx, input.standinCoachId, period);
    if (away) throw new AwayRejection(away);
    const overlapping = await findOverlappingStandin(trx, input.absentCoachId, period, { covers: input.covers, participantIds });
    if (overlapping) throw new OverlapRejection(overlapping);
    const id = await insertStandin(
      trx,
      {
        absent_coach_id: input.absentCoachId,
        standin_coach_id: input.standinCoachId,
        starts_on: input.startsOn,
        ends_on: input.endsOn,
        note: input.note,
        created_by: viewer.userId,
        covers: input.covers,
      },
      now,
    );
    await insertCoveredParticipants(trx, id, participantIds);
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: 'create',
      entityType: 'standin',
      entityId: id,
      details: {
        absentCoachId: input.absentCoachId,
        standinCoachId: input.standinCoachId,
        startsOn: input.startsOn,
        endsOn: input.endsOn,
        covers: input.covers,
        ...(input.covers === 'participants' ? { participantIds } : {}),
      },
    });
    return { value: id, path: `/standins#standin-${id}` };
  });
}

/** A stand-in the viewer may cancel and that can still be cancelled, or undefined (a 404 or a no-op for the route). */
export async function findStandinToCancel(
  db: Kysely<Database>,
  viewer: Viewer,
  id: number,
): Promise<{ standin: StandinRow; cancellable: boolean } | undefined> {
  if (!mayArrangeStandins(viewer)) return undefined;
  const standin = await findManageableStandin(db, viewer, id);
  if (!standin) return undefined;
  return { standin, cancellable: isCancellable(standin, viewer.today) };
}

export type CancelOutcome = 'cancelled' | 'nothingToCancel' | 'notFound';

/**
 * Cancels a stand-in: from this moment the standing-in coach no longer reaches the caseload.
 * A stand-in that is already cancelled or over is left as it is.
 */
export async function cancelStandin(db: Kysely<Database>, viewer: Viewer, id: number, now: Date): Promise<CancelOutcome> {
  const found = await findStandinToCancel(db, viewer, id);
  if (!found) return 'notFound';
  if (!found.cancellable) return 'nothingToCancel';
  const { standin } = found;
  return db.transaction().execute(async (trx) => {
    if (!(await markStandinCancelled(trx, id, now))) return 'nothingToCancel';
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: 'cancel',
      entityType: 'standin',
      entityId: id,
      details: {
        absentCoachId: standin.absentCoachId,
        standinCoachId: standin.standinCoachId,
        startsOn: standin.startsOn,
        endsOn: standin.endsOn,
      },
    });
    return 'cancelled';
  });
}
