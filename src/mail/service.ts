import type { Kysely } from 'kysely';
import { DIGEST_KINDS, type Database, type DigestKind, type Role } from '../db/schema';
import { createFormatters } from '../lib/format';
import { recordAuditEvent } from '../platform/audit/service';
import type { MailFailureRow, SendOutcome } from '../platform/mail';
import type { MailDeps } from './deps';
import { issueSetPasswordLink, normaliseEmail } from '../users/service';
import { deleteOptOuts, findMailAccount, findMailAccountByEmail, insertOptOuts, listOptOuts, type MailAccount } from './queries';
import type { MailPreferencesForm } from './schemas';
import { readUnsubscribeToken, unsubscribeUrl, type UnsubscribeScope } from './tokens';

export type { MailDeps } from './deps';
export { DIGEST_AT, digestTiming, firstNameAndInitial, sendDailyDigests, sendWeeklyDigests } from './digests';
export { unsubscribeToken, unsubscribeUrl, readUnsubscribeToken, type UnsubscribeScope } from './tokens';

/** The digests a role gets: a coach the day, a team leader the week, an administrator none. */
export function digestsOf(role: Role): DigestKind[] {
  if (role === 'coach') return ['daily'];
  if (role === 'manager') return ['weekly'];
  return [];
}

export interface MailPreferences {
  configured: boolean;
  digests: Array<{ kind: DigestKind; on: boolean }>;
}

export async function mailPreferences(
  db: Kysely<Database>,
  deps: MailDeps,
  userId: number,
  role: Role,
): Promise<MailPreferences> {
  const optedOut = await listOptOuts(db, userId);
  return {
    configured: deps.mailer.configured,
    digests: digestsOf(role).map((kind) => ({ kind, on: !optedOut.includes(kind) })),
  };
}

/** Saves the person's choice for the digests of their role (a box left unticked: opted out). */
export async function saveMailPreferences(
  db: Kysely<Database>,
  userId: number,
  role: Role,
  form: MailPreferencesForm,
  now: Date,
): Promise<void> {
  const kinds = digestsOf(role);
  const off = kinds.filter((kind) => !form[kind]);
  const on = kinds.filter((kind) => form[kind]);
  await db.transaction().execute(async (trx) => {
    await insertOptOuts(trx, userId, off, now);
    await deleteOptOuts(trx, userId, on);
    await recordAuditEvent(trx, {
      actorUserId: userId,
      action: 'mail_preferences',
      entityType: 'user',
      entityId: userId,
      details: { off, on },
    });
  });
}

export type UnsubscribeState = { kind: 'valid'; scope: UnsubscribeScope } | { kind: 'invalid' };

/** What an unsubscribe link stands for; a link of a removed account is as invalid as a forged one. */
export async function unsubscribeState(db: Kysely<Database>, deps: MailDeps, token: unknown): Promise<UnsubscribeState> {
  const read = readUnsubscribeToken(deps.secret, token);
  if (!read || !(await findMailAccount(db, read.userId))) return { kind: 'invalid' };
  return { kind: 'valid', scope: read.scope };
}

/** One click (or a mail client's one-click post): the link's digests stop; doing it twice changes nothing. */
export async function unsubscribe(db: Kysely<Database>, deps: MailDeps, token: unknown, now: Date): Promise<UnsubscribeState> {
  const read = readUnsubscribeToken(deps.secret, token);
  if (!read || !(await findMailAccount(db, read.userId))) return { kind: 'invalid' };
  const kinds = read.scope === 'all' ? [...DIGEST_KINDS] : [read.scope];
  await db.transaction().execute(async (trx) => {
    await insertOptOuts(trx, read.userId, kinds, now);
    await recordAuditEvent(trx, {
      actorUserId: read.userId,
      action: 'mail_unsubscribe',
      entityType: 'user',
      entityId: read.userId,
      details: { kinds },
    });
  });
  return { kind: 'valid', scope: read.scope };
}

/** Why a set-password link is mailed: an invitation, a "forgot password", or a new link by an administrator. */
export type SetPasswordMailReason = 'invite' | 'reset' | 'newLink';

/** Mails a set-password link to the account's own address, in the account's language. */
export async function sendSetPasswordMail(
  db: Kysely<Database>,
  deps: MailDeps,
  account: number | MailAccount,
  link: { token: string; expiresAt: Date },
  reason: SetPasswordMailReason,
): Promise<SendOutcome> {
  if (!deps.mailer.configured) return { kind: 'notConfigured' };
  const person = typeof account === 'number' ? await findMailAccount(db, account) : account;
  if (!person) return { kind: 'failed', error: 'no such account' };
  const t = deps.translatorFor(person.locale ?? deps.defaultLocale);
  const fmt = createFormatters(person.locale ?? deps.defaultLocale, deps.timeZone);
  const invite = reason === 'invite';
  return deps.mailer.send({
    to: person.email,
    locale: person.locale ?? deps.defaultLocale,
    kind: reason,
    recipientUserId: person.id,
    content: {
      subject: t(invite ? 'mail.setPassword.inviteSubject' : 'mail.setPassword.resetSubject'),
      blocks: [
        {
          kind: 'paragraph',
          text: t(invite ? 'mail.setPassword.inviteIntro' : 'mail.setPassword.resetIntro', { name: person.displayName }),
        },
        {
          kind: 'button',
          text: t('mail.setPassword.button'),
          href: `${deps.publicUrl}/set-password?token=${encodeURIComponent(link.token)}`,
        },
        { kind: 'paragraph', text: t('mail.setPassword.validUntil', { until: fmt.dateTime(link.expiresAt) }) },
        ...(reason === 'reset' ? [{ kind: 'paragraph' as const, text: t('mail.setPassword.notYou') }] : []),
      ],
      footer: t(`mail.setPassword.${reason}Footer`),
      unsubscribe: { text: t('mail.unsubscribeAll'), href: unsubscribeUrl(deps, person.id, 'all') },
    },
  });
}

/**
 * "Forgot password": an active account with this email gets a new set-password link (older ones
 * stop working) by mail; an unknown or inactive one gets nothing. The caller answers the same either
 * way, before this runs.
 */
export async function mailPasswordReset(
  db: Kysely<Database>,
  deps: MailDeps,
  email: string,
  now: Date,
): Promise<SendOutcome | null> {
  if (!deps.mailer.configured) return { kind: 'notConfigured' };
  const account = await findMailAccountByEmail(db, normaliseEmail(email));
  if (!account?.active) return null;
  const link = await issueSetPasswordLink(db, { userId: account.id, purpose: 'reset', actorUserId: null, now });
  return sendSetPasswordMail(db, deps, account, link, 'reset');
}

/** /admin/settings' test: a mail to the administrator's own address. */
export async function sendTestMail(db: Kysely<Database>, deps: MailDeps, userId: number, now: Date): Promise<SendOutcome> {
  if (!deps.mailer.configured) return { kind: 'notConfigured' };
  const person = await findMailAccount(db, userId);
  if (!person) return { kind: 'failed', error: 'no such account' };
  const t = deps.translatorFor(person.locale ?? deps.defaultLocale);
  const fmt = createFormatters(person.locale ?? deps.defaultLocale, deps.timeZone);
  return deps.mailer.send({
    to: person.email,
    locale: person.locale ?? deps.defaultLocale,
    kind: 'test',
    recipientUserId: person.id,
    content: {
      subject: t('mail.test.subject'),
      blocks: [{ kind: 'paragraph', text: t('mail.test.body', { at: fmt.dateTime(now), name: person.displayName }) }],
      footer: t('mail.test.footer'),
      unsubscribe: { text: t('mail.unsubscribeAll'), href: unsubscribeUrl(deps, person.id, 'all') },
    },
  });
}

export const TEST_MAIL_OUTCOMES = ['sent', 'failed', 'notConfigured'] as const;
export type TestMailOutcome = (typeof TEST_MAIL_OUTCOMES)[number];

/** The outcome of a test mail as its redirect names it (?mailTest=…), or null for anything else. */
export function testMailOutcomeOf(value: unknown): TestMailOutcome | null {
  return (TEST_MAIL_OUTCOMES as readonly unknown[]).includes(value) ? (value as TestMailOutcome) : null;
}

export interface MailSettingsSection {
  configured: boolean;
  /** MAIL_FROM: safe to show, unlike SMTP_URL (it may hold a password). */
  from: string | null;
  email: string | null;
  failures: MailFailureRow[];
}

/** How many failures /admin/settings lists. */
export const FAILURES_SHOWN = 20;

/** What /admin/settings shows about mail: whether it is sent, from where, and what failed lately. */
export async function mailSettingsSection(
  db: Kysely<Database>,
  deps: MailDeps & { from: string | null },
  userId: number,
): Promise<MailSettingsSection> {
  const [person, failures] = await Promise.all([findMailAccount(db, userId), deps.mailer.recentFailures(FAILURES_SHOWN)]);
  return { configured: deps.mailer.configured, from: deps.from, email: person?.email ?? null, failures };
}

/**
 * The mail feature's functions with the database and MailDeps given (services.ts), plus work that
 * is sent on after the answer (a "forgot password" mail: the page must not take longer for a known
 * address than for an unknown one). `idle()` waits for that work; the services' close() calls it.
 */
export function createMailing(db: Kysely<Database>, deps: MailDeps & { from: string | null }) {
  const pending = new Set<Promise<void>>();
  return {
    configured: deps.mailer.configured,
    preferences: (userId: number, role: Role) => mailPreferences(db, deps, userId, role),
    savePreferences: (userId: number, role: Role, form: MailPreferencesForm, now: Date) =>
      saveMailPreferences(db, userId, role, form, now),
    unsubscribeState: (token: unknown) => unsubscribeState(db, deps, token),
    unsubscribe: (token: unknown, now: Date) => unsubscribe(db, deps, token, now),
    sendSetPasswordMail: (
      account: number | MailAccount,
      link: { token: string; expiresAt: Date },
      reason: SetPasswordMailReason,
    ) => sendSetPasswordMail(db, deps, account, link, reason),
    sendTestMail: (userId: number, now: Date) => sendTestMail(db, deps, userId, now),
    mailPasswordReset: (email: string, now: Date) => mailPasswordReset(db, deps, email, now),
    settingsSection: (userId: number) => mailSettingsSection(db, deps, userId),
    /** Runs `task` after the answer; what it throws is handed to `onError` (it never reaches a request). */
    inBackground(task: () => Promise<void>, onError: (error: unknown) => void): void {
      const running = task()
        .catch(onError)
        .finally(() => pending.delete(running));
      pending.add(running);
    },
    async idle(): Promise<void> {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}

export type Mailing = ReturnType<typeof createMailing>;
