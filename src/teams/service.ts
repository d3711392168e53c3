import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { FormRejection } from '../lib/errors';
import { recordAuditEvent } from '../platform/audit/service';
import { createOnce, type SubmissionOutcome } from '../platform/submissions/service';
import {
  findTeam,
  insertTeam,
  listTeamMembers,
  listTeams,
  renameTeamIfVersion,
  teamNameTaken,
  type TeamMember,
  type TeamRow,
} from './queries';
import type { TeamCreateForm, TeamRenameForm } from './schemas';

export type { TeamMember, TeamRow } from './queries';

export async function teamsOverview(db: Kysely<Database>): Promise<TeamRow[]> {
  return listTeams(db);
}

export async function teamWithMembers(
  db: Kysely<Database>,
  id: number,
): Promise<{ team: TeamRow; members: TeamMember[] } | undefined> {
  const team = await findTeam(db, id);
  if (!team) return undefined;
  return { team, members: await listTeamMembers(db, id) };
}

/** A new team; its name may not be another team's, whatever the case. */
export async function createTeam(
  db: Kysely<Database>,
  actorUserId: number,
  form: TeamCreateForm,
  now: Date,
): Promise<SubmissionOutcome<number>> {
  if (await teamNameTaken(db, form.name, null)) throw new FormRejection({ name: 'teams.nameTaken' });
  return createOnce(db, form.submissionToken, actorUserId, now, async (trx) => {
    const id = await insertTeam(trx, form.name, now);
    await recordAuditEvent(trx, { actorUserId, action: 'create', entityType: 'team', entityId: id });
    return { value: id, path: `/admin/teams/${id}` };
  });
}

export type RenameOutcome = { kind: 'saved' } | { kind: 'conflict'; current: TeamRow } | { kind: 'notFound' };

export async function renameTeam(
  db: Kysely<Database>,
  actorUserId: number,
  teamId: number,
  form: TeamRenameForm,
  now: Date,
): Promise<RenameOutcome> {
  if (await teamNameTaken(db, form.name, teamId)) throw new FormRejection({ name: 'teams.nameTaken' });
  return db.transaction().execute(async (trx): Promise<RenameOutcome> => {
    const before = await findTeam(trx, teamId);
    if (!(await renameTeamIfVersion(trx, teamId, form.version, { name: form.name, defaultLocale: form.defaultLocale }, now))) {
      const current = await findTeam(trx, teamId);
      return current ? { kind: 'conflict', current } : { kind: 'notFound' };
    }
    const localeChange =
      before && before.defaultLocale !== form.defaultLocale
        ? { defaultLocale: { from: before.defaultLocale, to: form.defaultLocale } }
        : {};
    await recordAuditEvent(trx, { actorUserId, action: 'rename', entityType: 'team', entityId: teamId, details: localeChange });
    return { kind: 'saved' };
  });
}
