import type { Locale } from '../config';
import { sql } from 'kysely';
import type { Role } from '../db/schema';
import type { Executor } from '../platform/executor';

export interface TeamRow {
  id: number;
  name: string;
  /** The team's default language, or null: the organisation's. */
  defaultLocale: Locale | null;
  version: number;
  managers: number;
  coaches: number;
  /** Open participants of the team's coaches. */
  participants: number;
}

/** Teams with how many active managers and coaches they have and their coaches' open participants. */
function selectTeams(db: Executor) {
  return db
    .selectFrom('teams')
    .select((eb) => [
      'teams.id',
      'teams.name',
      'teams.default_locale as defaultLocale',
      'teams.version',
      eb
        .selectFrom('users')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('users.team_id', '=', 'teams.id')
        .where('users.role', '=', 'manager')
        .where('users.active', '=', true)
        .as('managers'),
      eb
        .selectFrom('users')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('users.team_id', '=', 'teams.id')
        .where('users.role', '=', 'coach')
        .where('users.active', '=', true)
        .as('coaches'),
      eb
        .selectFrom('participants')
        .innerJoin('users as coach', 'coach.id', 'participants.coach_id')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('coach.team_id', '=', 'teams.id')
        .where('participants.status', '<>', 'closed')
        .as('participants'),
    ]);
}

type RawTeamRow = {
  id: number;
  name: string;
  defaultLocale: Locale | null;
  version: number;
  managers: string | null;
  coaches: string | null;
  participants: string | null;
};

function counted(row: RawTeamRow): TeamRow {
  return {
    ...row,
    managers: Number(row.managers ?? 0),
    coaches: Number(row.coaches ?? 0),
    participants: Number(row.participants ?? 0),
  };
}

export async function listTeams(db: Executor): Promise<TeamRow[]> {
  const rows = await selectTeams(db)
    .orderBy(sql`lower(teams.name)`)
    .execute();
  return rows.map(counted);
}

export async function findTeam(db: Executor, id: number): Promise<TeamRow | undefined> {
  const row = await selectTeams(db).where('teams.id', '=', id).executeTakeFirst();
  return row ? counted(row) : undefined;
}

export interface TeamMember {
  id: number;
  displayName: string;
  email: string;
  role: Role;
  active: boolean;
  openParticipants: number;
}

export async function listTeamMembers(db: Executor, teamId: number): Promise<TeamMember[]> {
  const rows = await db
    .selectFrom('users')
    .select((eb) => [
      'users.id',
      'users.display_name as displayName',
      'users.email',
      'users.role',
      'users.active',
      eb
        .selectFrom('participants')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('participants.coach_id', '=', 'users.id')
        .where('participants.status', '<>', 'closed')
        .as('openParticipants'),
    ])
    .where('users.team_id', '=', teamId)
    .orderBy('users.active', 'desc')
    .orderBy('users.role', 'desc')
    .orderBy(sql`lower(users.display_name)`)
    .execute();
  return rows.map((row) => ({ ...row, openParticipants: Number(row.openParticipants ?? 0) }));
}

/** Another team already has this name (names are unique whatever their case). */
export async function teamNameTaken(db: Executor, name: string, exceptId: number | null): Promise<boolean> {
  let query = db
    .selectFrom('teams')
    .select('id')
    .where(sql<string>`lower(name)`, '=', name.toLowerCase());
  if (exceptId !== null) query = query.where('id', '<>', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

export async function insertTeam(db: Executor, name: string, now: Date): Promise<number> {
  const row = await db
    .insertInto('teams')
    .values({ name, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function renameTeamIfVersion(
  db: Executor,
  id: number,
  version: number,
  team: { name: string; defaultLocale: Locale | null },
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('teams')
    .set({ name: team.name, default_locale: team.defaultLocale, version: version + 1, updated_at: now })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
