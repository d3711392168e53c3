import { ROLES, type Role } from '../db/schema';

/**
 * OIDC_ROLE_CLAIM names a claim of the identity provider (Entra ID: `roles`, the app roles given to
 * a person or their groups; elsewhere often `groups`). InBeeld reads only its values of the form
 *
 *     inbeeld:<role>            inbeeld:admin
 *     inbeeld:<role>:<team>     inbeeld:coach:Team_Noord   (an underscore stands for a space)
 *
 * and ignores every other value (a groups claim names many groups that are not InBeeld's). The
 * prefix and the role are read without regard to case; the team is matched to an existing team's
 * name without regard to case. Entra ID allows no spaces in an app role's value, hence the
 * underscore. When several values are given, the highest role counts (admin, then manager, then
 * coach); two different teams for that role are ambiguous and refused, never guessed.
 */
export const ROLE_CLAIM_PREFIX = 'inbeeld:';

export type RoleFromClaim =
  /** The claim holds no InBeeld value (or is absent). */
  | { kind: 'none' }
  | { kind: 'role'; role: Role; team: string | null }
  /** Two different teams for the highest role. */
  | { kind: 'ambiguous' };

const RANK: Record<Role, number> = { admin: 3, manager: 2, coach: 1 };

function valuesOf(claim: unknown): string[] {
  if (typeof claim === 'string') return [claim];
  if (Array.isArray(claim)) return claim.filter((value): value is string => typeof value === 'string');
  return [];
}

function parseValue(value: string): { role: Role; team: string | null } | null {
  if (!value.toLowerCase().startsWith(ROLE_CLAIM_PREFIX)) return null;
  const [rolePart = '', ...teamParts] = value.slice(ROLE_CLAIM_PREFIX.length).split(':');
  const role = ROLES.find((candidate) => candidate === rolePart.trim().toLowerCase());
  if (!role) return null;
  const team = teamParts.join(':').replace(/_/g, ' ').replace(/\s+/g, ' ').trim();
  // An administrator belongs to no team.
  return { role, team: role === 'admin' || team === '' ? null : team };
}

/** The role (and team) a person's claim gives them. */
export function roleFromClaim(claim: unknown): RoleFromClaim {
  const parsed = valuesOf(claim)
    .map(parseValue)
    .filter((value) => value !== null);
  if (parsed.length === 0) return { kind: 'none' };
  const highest = Math.max(...parsed.map((value) => RANK[value.role]));
  const top = parsed.filter((value) => RANK[value.role] === highest);
  const teams = new Set(top.map((value) => value.team?.toLowerCase() ?? null).filter((team) => team !== null));
  if (teams.size > 1) return { kind: 'ambiguous' };
  return { kind: 'role', role: top[0]!.role, team: top.find((value) => value.team !== null)?.team ?? null };
}
