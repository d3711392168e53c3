import { AsyncLocalStorage } from 'node:async_hooks';
import { createHmac } from 'node:crypto';
import type { Logger } from '../lib/logger';
import type { AuditEventInput } from './audit/queries';

// Security events (OWASP ASVS 5.0 V16): one JSON line each, `"log":"security"`, with time, event,
// outcome, user id, client address and request id. The README's "Logs and metrics" lists them.
//
// Why two ways in, and why they cannot drift apart:
// - A change that is audited (src/platform/audit) is logged *by the audit recording itself*:
//   recordAuditEvent hands every event on a security entity (a user, a team, a commissioner, the
//   risk settings) to `auditedChange` below. So the feature makes one call — the audit it already
//   makes — and a new audited action on those entities is logged without anyone remembering to
//   (an action AUDITED_CHANGES does not name goes out as `audited_change`, never silently).
// - What is not audited (a failed or throttled sign-in, a refused page) is logged by one call to
//   `securityEvent` where it happens. AUDITED_CHANGES maps `login_failed` to null for that reason:
//   the sign-in handler logs every failure itself, for unknown emails too, so it is not logged twice.
//
// The request a line belongs to (its id, the client address as req.ip gives it, so TRUST_PROXY
// applies, and who is signed in) comes from the request context that web/setup/security-log.ts opens
// for every request (AsyncLocalStorage), so services deep down need no request parameter. Outside a
// request (a script such as user:create, the risk snapshot timer) there is no context and no line;
// the audit table has those.
//
// Never in a line: a password, a session id, a token, or the email typed in a failed attempt. That
// email is only an HMAC keyed with SESSION_SECRET (`emailHash`), so repeated attempts on one account
// can be told apart from a spray over many, by whoever holds the logs, without the log naming anyone.

/** Every security event name. */
export type SecurityEventName =
  // Signing in and out (POST /login, /logout, and the set-password page that signs in).
  | 'sign_in'
  | 'sign_in_failed'
  | 'sign_in_throttled'
  // Single sign-on (src/sso): a sign-in through the identity provider that signed nobody in, and
  // the first one of a person, which binds their identity to the account.
  | 'sso_sign_in_refused'
  | 'sso_identity_bound'
  | 'sign_out'
  // One's own account (/account, a set-password link).
  | 'password_changed'
  | 'password_change_failed'
  | 'password_change_throttled'
  | 'password_set_by_link'
  // "Forgot password" on the sign-in page (POST /forgot-password), whether or not the email has an account.
  | 'password_reset_requested'
  | 'password_reset_throttled'
  | 'own_sessions_ended'
  // One's calendar feed (/account, and the feed address itself).
  | 'calendar_feed_issued'
  | 'calendar_feed_revoked'
  /** A feed address that works no more (or never did): the same bare 404 for each. */
  | 'calendar_feed_refused'
  | 'calendar_feed_throttled'
  // The second factor (src/mfa): enrolled, removed, recovery codes made anew; a code at sign-in or step-up.
  | 'second_factor_changed'
  | 'second_factor_failed'
  | 'second_factor_throttled'
  | 'recovery_code_used'
  | 'step_up'
  // A signed-in person refused a page: the role guard's or the participant access rule's 404.
  | 'access_refused'
  // Administration.
  | 'user_created'
  | 'user_invited'
  | 'user_updated'
  | 'user_deactivated'
  | 'user_reactivated'
  | 'password_link_issued'
  | 'sessions_ended_by_admin'
  | 'second_factor_reset_by_admin'
  | 'team_created'
  | 'team_renamed'
  | 'commissioner_created'
  | 'commissioner_updated'
  | 'commissioner_deactivated'
  | 'commissioner_reactivated'
  | 'settings_changed'
  /** An audited action on a security entity that AUDITED_CHANGES does not name yet. */
  | 'audited_change';

/**
 * success: it happened. failure: it was tried and did not work (wrong password; or an audited change
 * whose request then failed, so its transaction was most likely rolled back). refused: a limit or a
 * rule refused it before anything was checked or shown.
 */
export type SecurityOutcome = 'success' | 'failure' | 'refused';

/** Audit actions on the entities that are security-relevant, and the event each is logged as. */
const AUDITED_CHANGES: Readonly<Record<string, Readonly<Record<string, SecurityEventName | null>>>> = {
  user: {
    login: 'sign_in',
    sso_bind: 'sso_identity_bound',
    // Logged by the sign-in handler (auth/controller.ts), which also sees unknown emails.
    login_failed: null,
    logout: 'sign_out',
    change_password: 'password_changed',
    set_password: 'password_set_by_link',
    end_session: 'own_sessions_ended',
    end_other_sessions: 'own_sessions_ended',
    create_calendar_feed: 'calendar_feed_issued',
    regenerate_calendar_feed: 'calendar_feed_issued',
    revoke_calendar_feed: 'calendar_feed_revoked',
    create: 'user_created',
    invite: 'user_invited',
    update: 'user_updated',
    deactivate: 'user_deactivated',
    reactivate: 'user_reactivated',
    issue_password_link: 'password_link_issued',
    end_sessions: 'sessions_ended_by_admin',
    // One's passkeys (src/passkeys); a passkey sign-in is a `login` with method 'passkey'.
    add_passkey: 'second_factor_changed',
    rename_passkey: 'second_factor_changed',
    remove_passkey: 'second_factor_changed',
    enrol_totp: 'second_factor_changed',
    disable_totp: 'second_factor_changed',
    regenerate_recovery_codes: 'second_factor_changed',
    use_recovery_code: 'recovery_code_used',
    step_up: 'step_up',
    reset_second_factor: 'second_factor_reset_by_admin',
    // A person's choice of digest mails (src/mail): no security event.
    mail_preferences: null,
    mail_unsubscribe: null,
    mail_digest: null,
  },
  team: { create: 'team_created', rename: 'team_renamed' },
  commissioner: {
    create: 'commissioner_created',
    update: 'commissioner_updated',
    deactivate: 'commissioner_deactivated',
    reactivate: 'commissioner_reactivated',
  },
  risk_settings: { update: 'settings_changed' },
  retention_settings: { update: 'settings_changed' },
};

/** The event an audit event is logged as: undefined when it is no security event, null when logged elsewhere. */
export function securityEventOfAudit(
  event: Pick<AuditEventInput, 'entityType' | 'action'>,
): SecurityEventName | null | undefined {
  const actions = AUDITED_CHANGES[event.entityType];
  if (!actions) return undefined;
  return Object.hasOwn(actions, event.action) ? actions[event.action] : 'audited_change';
}

/** What a line may carry besides the common fields. `attemptedEmail` is never written: only its HMAC. */
export interface SecurityEventDetails {
  /** Who is concerned when it is not the signed-in person (a failed sign-in's account, when there is one). */
  userId?: number | null;
  attemptedEmail?: string;
  /** For access_refused: the route pattern, and why (the role guard, or the participant access rule). */
  route?: string;
  reason?: 'role' | 'participant';
  participantId?: number | null;
  /** For a throttled attempt: which limit. */
  limit?: string;
  /** For a refused single sign-on: why (src/sso/service.ts SSO_REFUSALS), and the provider's error code if any. */
  refusal?: string;
  providerError?: string;
  /** For a refused passkey (src/passkeys): why, as the passkey service says it ('unknownCredential', …). */
  passkeyRefusal?: string;
}

export interface SecurityLogOptions {
  logger: Logger;
  /** Keys the HMAC of a typed email (SESSION_SECRET). */
  secret: string;
  /** Called for every line written (the metrics count them). */
  onEvent?: (event: SecurityEventName, outcome: SecurityOutcome) => void;
}

export interface SecurityLog {
  write(event: SecurityEventName, outcome: SecurityOutcome, request: RequestFacts, fields: Record<string, unknown>): void;
  emailHash(email: string): string;
}

/** What a line says about its request. */
export interface RequestFacts {
  requestId: string;
  clientAddress: string | null;
  /** The signed-in person, read when the line is written (sign-in sets it during the request). */
  signedInUserId(): number | null;
}

export function createSecurityLog({ logger, secret, onEvent }: SecurityLogOptions): SecurityLog {
  return {
    write(event, outcome, request, fields) {
      logger.info(
        {
          log: 'security',
          event,
          outcome,
          userId: request.signedInUserId(),
          ...fields,
          clientAddress: request.clientAddress,
          requestId: request.requestId,
        },
        `security event ${event}`,
      );
      onEvent?.(event, outcome);
    },
    emailHash(email) {
      return createHmac('sha256', secret).update(`sign-in-email:${email.trim().toLowerCase()}`).digest('hex').slice(0, 32);
    },
  };
}

interface RequestContext {
  log: SecurityLog;
  request: RequestFacts;
  /** Audited changes inside a transaction: written when the response is done (see auditedChange). */
  pending: Array<{ event: SecurityEventName; fields: Record<string, unknown> }>;
}

const context = new AsyncLocalStorage<RequestContext>();

/**
 * The security context of one request: `run` runs the rest of the request inside it; `responseDone`,
 * called once with the status code, writes the audited changes held back until then.
 */
export function openSecurityContext(
  log: SecurityLog,
  request: RequestFacts,
): { run(rest: () => void): void; responseDone(status: number): void } {
  const current: RequestContext = { log, request, pending: [] };
  return {
    run: (rest) => context.run(current, rest),
    responseDone(status) {
      const held = current.pending.splice(0);
      for (const { event, fields } of held) log.write(event, status < 400 ? 'success' : 'failure', request, fields);
    },
  };
}

/** One security event of the current request that nothing audits (see the top of this file). */
export function securityEvent(event: SecurityEventName, outcome: SecurityOutcome, details: SecurityEventDetails = {}): void {
  const current = context.getStore();
  if (!current) return;
  const { attemptedEmail, ...fields } = details;
  const line: Record<string, unknown> = { ...fields };
  if (attemptedEmail !== undefined) line.emailHash = current.log.emailHash(attemptedEmail);
  current.log.write(event, outcome, current.request, line);
}

/**
 * Called by recordAuditEvent for every audit event. One recorded on the database itself is stored,
 * so its line is written now; one recorded in a transaction is written when the response is done,
 * because until then the transaction may still be rolled back: a response of 400 or more marks it
 * `failure`. The audit's details stay in the audit table (they may name changed fields); the line
 * says who did what to which record.
 */
export function auditedChange(event: AuditEventInput, inTransaction: boolean): void {
  const name = securityEventOfAudit(event);
  const current = context.getStore();
  if (!name || !current) return;
  const fields: Record<string, unknown> = {
    userId: event.actorUserId,
    entityType: event.entityType,
    entityId: event.entityId === undefined || event.entityId === null ? null : String(event.entityId),
  };
  if (name === 'audited_change') fields.action = event.action;
  if (inTransaction) current.pending.push({ event: name, fields });
  else current.log.write(name, 'success', current.request, fields);
}
