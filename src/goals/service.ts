import type { Kysely } from 'kysely';
import { recordAuditEvent } from '../platform/audit/service';
import { GOAL_STATUSES, type Database, type GoalStatus } from '../db/schema';
import type { Viewer } from '../lib/viewer';
import { createOnce, type SubmissionOutcome } from '../platform/submissions/service';
import {
  findVisibleGoal,
  insertGoal,
  insertProgress,
  listGoalsOfParticipant,
  listLinkedContacts,
  listOpenGoalOptions,
  listProgressOfGoal,
  updateGoalIfVersion,
  type GoalColumns,
  type GoalOptionRow,
  type GoalWithLatestProgressRow,
  type LinkedContactRow,
  type ProgressRow,
  type VisibleGoalRow,
} from './queries';
import type { GoalEditForm, GoalInput, GoalProgressForm } from './schemas';

export type { GoalOptionRow, LinkedContactRow, ProgressRow, VisibleGoalRow } from './queries';

/** A goal still being worked on whose target date lies before today has passed it. */
export function targetDatePassed(goal: { status: GoalStatus; targetDate: string | null }, today: string): boolean {
  return (goal.status === 'open' || goal.status === 'in_progress') && goal.targetDate !== null && goal.targetDate < today;
}

export interface ProfileGoal extends GoalWithLatestProgressRow {
  targetPassed: boolean;
}

export interface GoalGroup {
  status: GoalStatus;
  goals: ProfileGoal[];
}

export interface GoalsForProfile {
  /** One group per status, always in the order open, in progress, achieved, dropped. */
  groups: GoalGroup[];
  total: number;
  targetPassedCount: number;
}

/**
 * A participant's goals for the profile, grouped by status, with their latest progress note and
 * whether the target date has passed; one query. Open work comes soonest target first, achieved
 * goals most recent first.
 */
export async function goalsForProfile(db: Kysely<Database>, participantId: number, today: string): Promise<GoalsForProfile> {
  const rows = await listGoalsOfParticipant(db, participantId);
  const groups: GoalGroup[] = GOAL_STATUSES.map((status) => ({ status, goals: [] }));
  for (const row of rows) {
    groups.find((group) => group.status === row.status)!.goals.push({ ...row, targetPassed: targetDatePassed(row, today) });
  }
  groups
    .find((group) => group.status === 'achieved')!
    .goals.sort((a, b) => (b.achievedOn ?? '').localeCompare(a.achievedOn ?? '') || b.id - a.id);
  return {
    groups,
    total: rows.length,
    targetPassedCount: groups.reduce((sum, group) => sum + group.goals.filter((goal) => goal.targetPassed).length, 0),
  };
}

/** Goals a contact moment can be linked to (open or in progress), for the contact form's checkboxes. */
export async function openGoalOptions(db: Kysely<Database>, participantId: number): Promise<GoalOptionRow[]> {
  return listOpenGoalOptions(db, participantId);
}

/** One goal of a participant the viewer may see; undefined means 404. */
export async function findGoal(
  db: Kysely<Database>,
  viewer: Viewer,
  participantId: number,
  goalId: number,
): Promise<VisibleGoalRow | undefined> {
  return findVisibleGoal(db, viewer, participantId, goalId);
}

export interface GoalDetail {
  goal: VisibleGoalRow & { targetPassed: boolean };
  /** Newest first. */
  progress: ProgressRow[];
  /** Newest first. */
  contacts: LinkedContactRow[];
}

/** A goal with its progress history and linked contact moments, for the goal's page. */
export async function goalDetail(db: Kysely<Database>, viewer: Viewer, goal: VisibleGoalRow): Promise<GoalDetail> {
  const [progress, contacts] = await Promise.all([
    listProgressOfGoal(db, goal.id),
    listLinkedContacts(db, goal.id, goal.participantId),
  ]);
  return { goal: { ...goal, targetPassed: targetDatePassed(goal, viewer.today) }, progress, contacts };
}

/** The goal's page for a goal the viewer was allowed to load; records that they looked at it. */
export async function viewGoal(db: Kysely<Database>, viewer: Viewer, goal: VisibleGoalRow): Promise<GoalDetail> {
  await recordAuditEvent(db, {
    actorUserId: viewer.userId,
    action: 'view',
    entityType: 'goal',
    entityId: goal.id,
    participantId: goal.participantId,
  });
  return goalDetail(db, viewer, goal);
}

function columnsOf(input: GoalInput | GoalEditForm): GoalColumns {
  return {
    title: input.title,
    description: input.description,
    life_domain: input.lifeDomain,
    target_date: input.targetDate,
    agreed_with_participant: input.agreedWithParticipant,
  };
}

/** The caller has checked that the participant is visible to the viewer and not closed. */
export async function createGoal(
  db: Kysely<Database>,
  viewer: Viewer,
  participantId: number,
  input: GoalInput,
  submissionToken: string,
  now: Date,
): Promise<SubmissionOutcome<number>> {
  return createOnce(db, submissionToken, viewer.userId, now, async (trx) => {
    const id = await insertGoal(trx, { ...columnsOf(input), participant_id: participantId, created_by: viewer.userId }, now);
    // Titles and descriptions may be personal: the audit names the structured facts only.
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: 'create',
      entityType: 'goal',
      entityId: id,
      participantId,
      details: {
        lifeDomain: input.lifeDomain,
        targetDate: input.targetDate,
        agreedWithParticipant: input.agreedWithParticipant,
      },
    });
    return { value: id, path: `/participants/${participantId}/goals/${id}` };
  });
}

export type GoalChangeOutcome = { kind: 'saved' } | { kind: 'conflict'; current: VisibleGoalRow } | { kind: 'notFound' };

export interface GoalRef {
  participantId: number;
  goalId: number;
}

/** After an update changed nothing: a newer version (conflict) or a goal no longer changeable (404). */
async function afterMissedUpdate(db: Kysely<Database>, viewer: Viewer, ref: GoalRef): Promise<GoalChangeOutcome> {
  const current = await findVisibleGoal(db, viewer, ref.participantId, ref.goalId);
  return current && current.participantStatus !== 'closed' ? { kind: 'conflict', current } : { kind: 'notFound' };
}

export async function updateGoal(
  db: Kysely<Database>,
  viewer: Viewer,
  ref: GoalRef,
  form: GoalEditForm,
  now: Date,
): Promise<GoalChangeOutcome> {
  const outcome = await db.transaction().execute(async (trx): Promise<GoalChangeOutcome | null> => {
    const before = await findVisibleGoal(trx, viewer, ref.participantId, ref.goalId);
    if (!before || before.participantStatus === 'closed') return { kind: 'notFound' };
    if (!(await updateGoalIfVersion(trx, viewer, before.id, form.version, columnsOf(form), now))) return null;
    const changedFields = (['title', 'description', 'lifeDomain', 'targetDate', 'agreedWithParticipant'] as const).filter(
      (field) => before[field] !== form[field],
    );
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const field of ['lifeDomain', 'targetDate', 'agreedWithParticipant'] as const) {
      if (before[field] !== form[field]) changes[field] = { from: before[field], to: form[field] };
    }
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: 'update',
      entityType: 'goal',
      entityId: before.id,
      participantId: before.participantId,
      details: { changedFields, changes },
    });
    return { kind: 'saved' };
  });
  return outcome ?? afterMissedUpdate(db, viewer, ref);
}

/**
 * Records a progress note and the goal's status after it. Reaching "achieved" records today (in
 * the organisation's zone) as the day it was achieved; a further note on an achieved goal keeps
 * that day, and leaving "achieved" clears it.
 */
export async function recordProgress(
  db: Kysely<Database>,
  viewer: Viewer,
  ref: GoalRef,
  form: GoalProgressForm,
  now: Date,
): Promise<GoalChangeOutcome> {
  const outcome = await db.transaction().execute(async (trx): Promise<GoalChangeOutcome | null> => {
    const before = await findVisibleGoal(trx, viewer, ref.participantId, ref.goalId);
    if (!before || before.participantStatus === 'closed') return { kind: 'notFound' };
    const achievedOn = form.status !== 'achieved' ? null : before.status === 'achieved' ? before.achievedOn : viewer.today;
    if (
      !(await updateGoalIfVersion(trx, viewer, before.id, form.version, { status: form.status, achieved_on: achievedOn }, now))
    ) {
      return null;
    }
    const progressId = await insertProgress(
      trx,
      { goalId: before.id, authorId: viewer.userId, status: form.status, note: form.note },
      now,
    );
    await recordAuditEvent(trx, {
      actorUserId: viewer.userId,
      action: 'progress',
      entityType: 'goal',
      entityId: before.id,
      participantId: before.participantId,
      details: { progressId, statusBefore: before.status, status: form.status, achievedOn },
    });
    return { kind: 'saved' };
  });
  return outcome ?? afterMissedUpdate(db, viewer, ref);
}
