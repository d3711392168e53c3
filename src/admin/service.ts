import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { FormRejection } from '../lib/errors';
import type { Viewer } from '../lib/viewer';
import { openCaseloadSize, reassignCaseload } from '../participants/service';
import { recordAuditEvent } from '../platform/audit/service';
import type { Executor } from '../platform/executor';
import { createOnce, type SubmissionOutcome } from '../platform/submissions/service';
import { deactivateUser, deleteAllSessionsOf, issueSetPasswordLink, reactivateUser } from '../users/service';
import {
  countAdminUsers,
  countOtherActiveAdmins,
  findAdminUser,
  findUserIdByEmail,
  insertInvitedUser,
  listAdminUsers,
  listOtherActiveCoaches,
  listTeamChoices,
  lockAdminUser,
  updateUserIfVersion,
  type AdminUserRow,
  type CoachChoice,
  type TeamChoice,
} from './queries';
import type { InviteForm, UserEditForm, UserListQuery } from './schemas';

export type { AdminUserRow, CoachChoice, TeamChoice } from './queries';

export async function usersPage(
  db: Kysely<Database>,
  filters: UserListQuery,
  page: { limit: number; offset: number },
): Promise<{ rows: AdminUserRow[]; total: number }> {
  const [rows, total] = await Promise.all([listAdminUsers(db, filters, page), countAdminUsers(db, filters)]);
  return { rows, total };
}

export async function findUserForAdmin(db: Kysely<Database>, id: number): Promise<AdminUserRow | undefined> {
  return findAdminUser(db, id);
}

export async function teamChoices(db: Kysely<Database>): Promise<TeamChoice[]> {
  return listTeamChoices(db);
}

/** For a coach with open participants: how many, and who in their team could take them over. */
export async function caseloadHandover(
  db: Kysely<Database>,
  person: AdminUserRow,
): Promise<{ openParticipants: number; coaches: CoachChoice[] }> {
  if (person.role !== 'coach') return { openParticipants: 0, coaches: [] };
  const [openParticipants, coaches] = await Promise.all([
    openCaseloadSize(db, person.id),
    person.teamId === null ? Promise.resolve([]) : listOtherActiveCoaches(db, person.teamId, person.id),
  ]);
  return { openParticipants, coaches };
}

type Person = Pick<InviteForm, 'displayName' | 'email' | 'role' | 'teamId' | 'locale'>;

/** Team rules of a person (as the database's own check says): everyone but an administrator has a team. */
async function checkPerson(db: Executor, person: Person, selfId: number | null): Promise<void> {
  if (person.role !== 'admin' && person.teamId === null) throw new FormRejection({ teamId: 'admin.user.teamRequired' });
  if (person.teamId !== null && !(await listTeamChoices(db)).some((team) => team.id === person.teamId)) {
    throw new FormRejection({ teamId: 'validation.choice' });
  }
  const owner = await findUserIdByEmail(db, person.email);
  if (owner !== undefined && owner !== selfId) throw new FormRejection({ email: 'admin.user.emailTaken' });
}

export interface Invitation {
  userId: number;
  token: string;
  expiresAt: Date;
}

/**
 * Invites a person: the account exists without a password, and a one-time set-password link (valid
 * 72 hours) is made. The token comes back once, for the administrator to see or a mail to carry;
 * a second submit of the same form lands on the person's page without a new link.
 */
export async function invitePerson(
  db: Kysely<Database>,
  actorUserId: number,
  form: InviteForm,
  now: Date,
): Promise<SubmissionOutcome<Invitation>> {
  const { submissionToken, ...person } = form;
  const teamId = person.role === 'admin' ? null : person.teamId;
  // Checked inside: a second submit of the same form finds its account, not a taken email.
  const outcome = await createOnce(db, submissionToken, actorUserId, now, async (trx) => {
    await checkPerson(trx, { ...person, teamId }, null);
    const userId = await insertInvitedUser(trx, { ...person, teamId }, now);
    await recordAuditEvent(trx, {
      actorUserId,
      action: 'invite',
      entityType: 'user',
      entityId: userId,
      details: { role: person.role, teamId, locale: person.locale },
    });
    return { value: userId, path: `/admin/users/${userId}` };
  });
  if (outcome.kind === 'duplicate') return outcome;
  const link = await issueSetPasswordLink(db, { userId: outcome.value, purpose: 'invite', actorUserId, now });
  return { ...outcome, value: { userId: outcome.value, ...link } };
}

export type UpdateOutcome = { kind: 'saved' } | { kind: 'conflict'; current: AdminUserRow } | { kind: 'notFound' };

/** Which fields an edit changed: the audit names them, never their (personal) values. */
function changedFields(before: AdminUserRow, after: Person): string[] {
  const fields: Array<[string, unknown, unknown]> = [
    ['displayName', before.displayName, after.displayName],
    ['email', before.email, after.email],
    ['role', before.role, after.role],
    ['teamId', before.teamId, after.teamId],
    ['locale', before.locale, after.locale],
  ];
  return fields.filter(([, was, is]) => was !== is).map(([field]) => field);
}

/** The last active administrator stays one: nobody can take that role away or switch it off. */
async function keepAnAdmin(db: Executor, person: AdminUserRow, field: string): Promise<void> {
  if (person.role === 'admin' && person.active && (await countOtherActiveAdmins(db, person.id)) === 0) {
    throw new FormRejection({ [field]: 'admin.user.lastAdmin' });
  }
}

/**
 * A coach leaving their team or their role has open participants: they move with the coach, or go
 * to a chosen coach of the old team. Answers who takes them over (null: they stay), or refuses.
 */
async function caseloadDecision(db: Executor, before: AdminUserRow, after: Person, form: UserEditForm): Promise<number | null> {
  const leavesTeam = after.teamId !== before.teamId;
  const leavesRole = after.role !== 'coach';
  if (before.role !== 'coach' || (!leavesTeam && !leavesRole) || (await openCaseloadSize(db, before.id)) === 0) return null;
  if (form.participantsGo === 'stay' && !leavesRole) return null;
  if (form.participantsGo !== 'reassign') {
    throw new FormRejection({
      participantsGo: leavesRole ? 'admin.user.participantsMustMove' : 'admin.user.participantsQuestion',
    });
  }
  const coaches = before.teamId === null ? [] : await listOtherActiveCoaches(db, before.teamId, before.id);
  if (form.reassignTo === null || !coaches.some((coach) => coach.id === form.reassignTo)) {
    throw new FormRejection({ reassignTo: 'admin.user.reassignToChoice' });
  }
  return form.reassignTo;
}

/**
 * Changes a person (name, email, role, team, language) against the version the form was loaded at.
 * A coach's open participants follow the decision on the form; all of it in one transaction, audited.
 */
export async function updatePerson(
  db: Kysely<Database>,
  actor: Pick<Viewer, 'userId' | 'timeZone'>,
  userId: number,
  form: UserEditForm,
  now: Date,
): Promise<UpdateOutcome> {
  const actorUserId = actor.userId;
  const person: Person = { ...form, teamId: form.role === 'admin' ? null : form.teamId };
  await checkPerson(db, person, userId);
  return db.transaction().execute(async (trx): Promise<UpdateOutcome> => {
    const before = await lockAdminUser(trx, userId);
    if (!before) return { kind: 'notFound' };
    if (before.version !== form.version) return { kind: 'conflict', current: before };
    if (person.role !== 'admin') await keepAnAdmin(trx, before, 'role');
    const takenOverBy = await caseloadDecision(trx, before, person, form);
    const moved =
      takenOverBy === null
        ? 0
        : await reassignCaseload(trx, {
            fromCoachId: userId,
            toCoachId: takenOverBy,
            actorUserId,
            now,
            timeZone: actor.timeZone,
          });
    if (!(await updateUserIfVersion(trx, userId, form.version, person, now))) return { kind: 'conflict', current: before };
    const details: Record<string, unknown> = { changed: changedFields(before, person) };
    if (before.teamId !== person.teamId) Object.assign(details, { fromTeamId: before.teamId, toTeamId: person.teamId });
    if (takenOverBy !== null) Object.assign(details, { participantsTo: takenOverBy, participantsMoved: moved });
    await recordAuditEvent(trx, { actorUserId, action: 'update', entityType: 'user', entityId: userId, details });
    return { kind: 'saved' };
  });
}

export type DeactivateOutcome = { kind: 'deactivated'; endedSessions: number } | { kind: 'notFound' } | { kind: 'self' };

/**
 * Switches a person off: their sessions end at once. One cannot switch off oneself or the last
 * active administrator, and a coach's open participants first go to a chosen coach of the team.
 */
export async function deactivatePerson(
  db: Kysely<Database>,
  actor: Pick<Viewer, 'userId' | 'timeZone'>,
  userId: number,
  reassignTo: number | null,
  now: Date,
): Promise<DeactivateOutcome> {
  const actorUserId = actor.userId;
  if (userId === actorUserId) return { kind: 'self' };
  return db.transaction().execute(async (trx): Promise<DeactivateOutcome> => {
    const person = await lockAdminUser(trx, userId);
    if (!person) return { kind: 'notFound' };
    await keepAnAdmin(trx, person, '_form');
    if (person.role === 'coach' && (await openCaseloadSize(trx, userId)) > 0) {
      const coaches = person.teamId === null ? [] : await listOtherActiveCoaches(trx, person.teamId, userId);
      if (reassignTo === null || !coaches.some((coach) => coach.id === reassignTo)) {
        throw new FormRejection({ reassignTo: 'admin.user.reassignToChoice' });
      }
      await reassignCaseload(trx, { fromCoachId: userId, toCoachId: reassignTo, actorUserId, now, timeZone: actor.timeZone });
    }
    const endedSessions = await deactivateUser(trx, userId, actorUserId, now);
    return { kind: 'deactivated', endedSessions };
  });
}

export async function reactivatePerson(db: Kysely<Database>, actorUserId: number, userId: number, now: Date): Promise<boolean> {
  return reactivateUser(db, userId, actorUserId, now);
}

/** A new set-password link for a person (theirs expired, or they forgot their password): shown once. */
export async function newPasswordLink(
  db: Kysely<Database>,
  actorUserId: number,
  person: AdminUserRow,
  now: Date,
): Promise<{ token: string; expiresAt: Date }> {
  return issueSetPasswordLink(db, { userId: person.id, purpose: person.hasPassword ? 'reset' : 'invite', actorUserId, now });
}

/** Signs a person out everywhere (a lost phone, a shared computer): audited with how many ended. */
export async function endSessionsOf(db: Kysely<Database>, actorUserId: number, userId: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const ended = await deleteAllSessionsOf(trx, userId);
    await recordAuditEvent(trx, {
      actorUserId,
      action: 'end_sessions',
      entityType: 'user',
      entityId: userId,
      details: { ended },
    });
    return ended;
  });
}
