import type { Locale } from '../config';
import { chosenLocale } from '../db/locale';
import type { DigestKind } from '../db/schema';
import type { Executor } from '../platform/executor';

/** A person a digest may go to: active, of the digest's role, not opted out, none sent for the day yet. */
export interface DigestRecipient {
  id: number;
  email: string;
  displayName: string;
  /** Their own language choice, else their team's default; null: the organisation's (MailDeps.defaultLocale). */
  locale: Locale | null;
  teamId: number | null;
}

const ROLE_OF: Record<DigestKind, 'coach' | 'manager'> = { daily: 'coach', weekly: 'manager' };

/**
 * Who is still to get the `kind` digest of `day`. A coach absent on the day (a stand-in covers
 * their caseload) gets no daily digest: their caseload is in the stand-in's.
 */
export async function listDigestRecipients(db: Executor, kind: DigestKind, day: string): Promise<DigestRecipient[]> {
  let query = db
    .selectFrom('users')
    .select(['users.id', 'users.email', 'users.display_name as displayName', chosenLocale, 'users.team_id as teamId'])
    .where('users.active', '=', true)
    .where('users.role', '=', ROLE_OF[kind])
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('mail_opt_outs')
            .select('mail_opt_outs.user_id')
            .whereRef('mail_opt_outs.user_id', '=', 'users.id')
            .where('mail_opt_outs.kind', '=', kind),
        ),
      ),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('mail_digest_sends')
            .select('mail_digest_sends.user_id')
            .whereRef('mail_digest_sends.user_id', '=', 'users.id')
            .where('mail_digest_sends.kind', '=', kind)
            .where('mail_digest_sends.sent_on', '=', day),
        ),
      ),
    );
  if (kind === 'daily') {
    query = query.where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('coach_standins')
            .select('coach_standins.id')
            .whereRef('coach_standins.absent_coach_id', '=', 'users.id')
            .where('coach_standins.starts_on', '<=', day)
            .where('coach_standins.ends_on', '>=', day)
            .where('coach_standins.cancelled_at', 'is', null),
        ),
      ),
    );
  }
  return query.orderBy('users.id').execute();
}

/**
 * Claims the digest of a person and day: true when this call made the row (so this process sends
 * it), false when it was there already (another process did, or is doing it).
 */
export async function claimDigest(
  db: Executor,
  claim: { userId: number; kind: DigestKind; day: string; at: Date; items: number },
): Promise<boolean> {
  const row = await db
    .insertInto('mail_digest_sends')
    .values({ user_id: claim.userId, kind: claim.kind, sent_on: claim.day, sent_at: claim.at, items: claim.items })
    .onConflict((oc) => oc.doNothing())
    .returning('user_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** A send that failed gives its claim back, so a later run (or `npm run jobs:run`) tries again. */
export async function releaseDigest(db: Executor, claim: { userId: number; kind: DigestKind; day: string }): Promise<void> {
  await db
    .deleteFrom('mail_digest_sends')
    .where('user_id', '=', claim.userId)
    .where('kind', '=', claim.kind)
    .where('sent_on', '=', claim.day)
    .execute();
}

export async function listOptOuts(db: Executor, userId: number): Promise<DigestKind[]> {
  const rows = await db.selectFrom('mail_opt_outs').select('kind').where('user_id', '=', userId).execute();
  return rows.map((row) => row.kind);
}

export async function insertOptOuts(db: Executor, userId: number, kinds: readonly DigestKind[], at: Date): Promise<void> {
  if (kinds.length === 0) return;
  await db
    .insertInto('mail_opt_outs')
    .values(kinds.map((kind) => ({ user_id: userId, kind, opted_out_at: at })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function deleteOptOuts(db: Executor, userId: number, kinds: readonly DigestKind[]): Promise<void> {
  if (kinds.length === 0) return;
  await db.deleteFrom('mail_opt_outs').where('user_id', '=', userId).where('kind', 'in', kinds).execute();
}

/** Whom a mail about an account goes to: active or not (an invitation goes to a new account). */
export interface MailAccount {
  id: number;
  email: string;
  displayName: string;
  /** Their own language choice, else their team's default; null: the organisation's (MailDeps.defaultLocale). */
  locale: Locale | null;
  role: 'coach' | 'manager' | 'admin';
  active: boolean;
}

export async function findMailAccount(db: Executor, userId: number): Promise<MailAccount | undefined> {
  return db
    .selectFrom('users')
    .select(['users.id', 'email', 'display_name as displayName', chosenLocale, 'role', 'active'])
    .where('id', '=', userId)
    .executeTakeFirst();
}

export async function findMailAccountByEmail(db: Executor, email: string): Promise<MailAccount | undefined> {
  return db
    .selectFrom('users')
    .select(['users.id', 'email', 'display_name as displayName', chosenLocale, 'role', 'active'])
    .where('email', '=', email)
    .executeTakeFirst();
}
