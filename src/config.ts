import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { parseEnv } from 'node:util';
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { ROLES, type Role } from './db/schema';

/** nl-BE holds only the Flemish words that differ from nl; every other key falls back to nl. */
export const SUPPORTED_LOCALES = ['nl', 'nl-BE', 'en'] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];

// Environment values are strings; these helpers turn them into typed values and reject anything
// ambiguous, so a typo such as MIGRATE_ON_START=ture stops the process instead of being ignored.
const booleanFromEnv = (fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return fallback;
      const normalised = value.trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(normalised)) return true;
      if (['false', '0', 'no', 'off'].includes(normalised)) return false;
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be true or false' });
      return z.NEVER;
    });

const integerFromEnv = (fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return fallback;
      if (!/^\d+$/.test(value.trim())) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be a whole number from ${min} to ${max}` });
        return z.NEVER;
      }
      const parsed = Number(value.trim());
      if (parsed < min || parsed > max) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be a whole number from ${min} to ${max}` });
        return z.NEVER;
      }
      return parsed;
    });

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

/** Express's `trust proxy` accepts false, true, a hop count or a list of addresses/subnets. */
const trustProxyFromEnv = z
  .string()
  .optional()
  .transform((value): boolean | number | string => {
    if (value === undefined || value.trim() === '' || value.trim().toLowerCase() === 'false') return false;
    const trimmed = value.trim();
    if (trimmed.toLowerCase() === 'true') return true;
    if (/^\d+$/.test(trimmed)) return Number(trimmed);
    return trimmed;
  });

/** A comma-separated list of roles; empty means none. Unset: the default. */
const rolesFromEnv = (fallback: readonly Role[]) =>
  z
    .string()
    .optional()
    .transform((value, ctx): readonly Role[] => {
      if (value === undefined) return fallback;
      const names = value
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== '');
      const unknown = names.filter((name) => !(ROLES as readonly string[]).includes(name));
      if (unknown.length > 0) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `must be a comma-separated list of ${ROLES.join(', ')} (or empty)`,
        });
        return z.NEVER;
      }
      return [...new Set(names as Role[])];
    });

const environmentShape = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: optionalText.transform((value) => value ?? '127.0.0.1'),
  PORT: integerFromEnv(3000, 0, 65535),
  DATABASE_URL: optionalText.refine(
    (value) => value === undefined || /^postgres(ql)?:\/\//.test(value),
    'must be a postgres:// or postgresql:// URL',
  ),
  DATABASE_POOL_SIZE: integerFromEnv(10, 1, 200),
  DATABASE_CONNECT_TIMEOUT_MS: integerFromEnv(3000, 100, 60000),
  EMBEDDED_DB_DIR: optionalText.transform((value) => value ?? './data/pglite'),
  SEED_DEMO_ON_EMPTY: booleanFromEnv(true),
  MIGRATE_ON_START: booleanFromEnv(false),
  SESSION_SECRET: optionalText.refine(
    (value) => value === undefined || value.length >= 32,
    'must be at least 32 characters long',
  ),
  SESSION_IDLE_MINUTES: integerFromEnv(30, 1, 24 * 60),
  SESSION_ABSOLUTE_HOURS: integerFromEnv(12, 1, 24 * 7),
  LOGIN_FAILURES_PER_ADDRESS: integerFromEnv(100, 1, 100000),
  LOGIN_FAILURES_PER_ACCOUNT: integerFromEnv(10, 1, 10000),
  LOGIN_RATE_LIMIT_WINDOW_MINUTES: integerFromEnv(15, 1, 24 * 60),
  MFA_REQUIRED_ROLES: rolesFromEnv(['manager', 'admin']),
  STEP_UP_MINUTES: integerFromEnv(60, 1, 24 * 60),
  APP_TIMEZONE: optionalText
    .transform((value) => value ?? 'Europe/Amsterdam')
    .refine((value) => IANAZone.isValidZone(value), 'must be an IANA time zone such as Europe/Amsterdam'),
  DEFAULT_LOCALE: optionalText
    .transform((value) => value ?? 'nl')
    .refine((value): value is Locale => (SUPPORTED_LOCALES as readonly string[]).includes(value), 'must be nl, nl-BE or en'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: trustProxyFromEnv,
  ORGANISATION_NAME: optionalText.transform((value) => value ?? 'InBeeld'),
  SHUTDOWN_TIMEOUT_MS: integerFromEnv(10000, 0, 120000),
  RISK_SNAPSHOT_AT: optionalText
    .transform((value) => value ?? '02:00')
    .refine((value) => /^([01]\d|2[0-3]):[0-5]\d$/.test(value), 'must be a local time HH:MM, such as 02:00'),
  PSEUDONYM_SECRET: optionalText.refine(
    (value) => value === undefined || value.length >= 32,
    'must be at least 32 characters long',
  ),
  METRICS_PORT: optionalText.refine(
    (value) => value === undefined || (/^\d+$/.test(value) && Number(value) <= 65535),
    'must be a port number from 0 to 65535 (0: any free port), or empty for no metrics',
  ),
  METRICS_HOST: optionalText.transform((value) => value ?? '127.0.0.1'),
  PUBLIC_URL: optionalText.refine(
    (value) => value === undefined || (/^https?:\/\/[^/?#]+(\/[^?#]*)?$/.test(value) && URL.canParse(value)),
    'must be the absolute address people open InBeeld at, such as https://inbeeld.example.org',
  ),
  SMTP_URL: optionalText.refine(
    (value) => value === undefined || (/^smtps?:\/\/[^/?#]+/.test(value) && URL.canParse(value)),
    'must be an smtp:// or smtps:// URL, such as smtps://user:password@mail.example.org:465',
  ),
  MAIL_FROM: optionalText.refine(
    (value) => value === undefined || /^([^<>@\s][^<>@]*<[^<>@\s]+@[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+)$/.test(value),
    'must be an address, such as InBeeld <inbeeld@example.org> or inbeeld@example.org',
  ),
});

/** Variables InBeeld no longer reads, with what replaced them: a process that still sets one logs a warning. */
const RETIRED_VARIABLES: Readonly<Record<string, string>> = {
  LOGIN_RATE_LIMIT_MAX:
    'LOGIN_RATE_LIMIT_MAX is no longer read: successful sign-ins never count now, and failures are limited by LOGIN_FAILURES_PER_ADDRESS and LOGIN_FAILURES_PER_ACCOUNT',
};

/** Every environment variable InBeeld reads (the README and .env.example document each one). */
export const CONFIG_VARIABLES = Object.keys(environmentShape.shape);

const environmentSchema = environmentShape.superRefine((env, ctx) => {
  if (env.METRICS_PORT !== undefined && Number(env.METRICS_PORT) !== 0 && Number(env.METRICS_PORT) === env.PORT) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['METRICS_PORT'],
      message: 'must differ from PORT: metrics are never served on the app port',
    });
  }
  if (env.NODE_ENV === 'production' && env.SESSION_SECRET === undefined) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['SESSION_SECRET'],
      message: 'is required when NODE_ENV=production (at least 32 random characters)',
    });
  }
  if (env.NODE_ENV === 'production' && env.PUBLIC_URL === undefined) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['PUBLIC_URL'],
      message: 'is required when NODE_ENV=production: the https:// address people open InBeeld at (used in set-password links)',
    });
  }
  // Half a mail configuration sends nothing, silently: refused, so the admin sees it at start.
  if ((env.SMTP_URL === undefined) !== (env.MAIL_FROM === undefined)) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: [env.SMTP_URL === undefined ? 'SMTP_URL' : 'MAIL_FROM'],
      message:
        'must be set together with ' +
        (env.SMTP_URL === undefined ? 'MAIL_FROM' : 'SMTP_URL') +
        ' (or leave both empty: no mail is sent)',
    });
  }
  if (env.NODE_ENV === 'production' && env.PSEUDONYM_SECRET === undefined) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['PSEUDONYM_SECRET'],
      message: 'is required when NODE_ENV=production (at least 32 random characters, kept for as long as exports are compared)',
    });
  }
});

/**
 * Outside production, pseudonymised exports use this fixed key so they stay comparable across
 * restarts of a demo. It is public, so such pseudonyms protect nothing: production requires its own.
 */
export const DEVELOPMENT_PSEUDONYM_SECRET = 'inbeeld-development-pseudonym-key-not-secret';

export interface Config {
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly isProduction: boolean;
  readonly host: string;
  readonly port: number;
  readonly database:
    | { readonly mode: 'server'; readonly url: string; readonly poolSize: number; readonly connectTimeoutMs: number }
    | { readonly mode: 'embedded'; readonly dataDir: string; readonly connectTimeoutMs: number };
  readonly migrateOnStart: boolean;
  readonly seedDemoOnEmpty: boolean;
  readonly session: {
    readonly secret: string;
    /** True when no SESSION_SECRET was given and a random one was made for this process. */
    readonly secretIsEphemeral: boolean;
    readonly idleMinutes: number;
    readonly absoluteHours: number;
  };
  /**
   * Failed sign-ins allowed in the window per client address, and per account from one address;
   * the next attempt gets 429. Successful sign-ins never count.
   */
  readonly loginRateLimit: {
    readonly failuresPerAddress: number;
    readonly failuresPerAccount: number;
    readonly windowMinutes: number;
  };
  /**
   * The second factor (src/mfa). `requiredRoles`: who must have one (MFA_REQUIRED_ROLES, default
   * manager and admin; empty: nobody) and is taken to enrolment right after the password.
   * `stepUpMinutes`: how old the last second factor may be for an export, a subject-access ZIP or an
   * administrative change before it is asked again (STEP_UP_MINUTES, default 60).
   */
  readonly mfa: { readonly requiredRoles: readonly Role[]; readonly stepUpMinutes: number };
  readonly timeZone: string;
  readonly defaultLocale: Locale;
  readonly logLevel: string;
  readonly trustProxy: boolean | number | string;
  readonly organisationName: string;
  readonly shutdownTimeoutMs: number;
  /** Local time (org zone) after which the daily job risk_snapshot takes the day's snapshot (src/risk/jobs.ts). */
  readonly riskSnapshotAt: string;
  /** HMAC key that turns a participant into a stable pseudonym in exports. */
  readonly pseudonymSecret: string;
  /** Where people open InBeeld (no trailing slash): the base of every link that leaves the app. */
  readonly publicUrl: string;
  /**
   * Prometheus metrics on a port of their own (`GET /metrics`), never on the app's port: null (the
   * default) serves none. Bound to 127.0.0.1 unless METRICS_HOST says otherwise.
   */
  readonly metrics: { readonly port: number | null; readonly host: string };
  /**
   * Outgoing mail (SMTP_URL and MAIL_FROM, both or neither): null sends nothing, and the pages that
   * would mail say so (platform/mail.ts).
   */
  readonly mail: { readonly smtpUrl: string; readonly from: string } | null;
  /** What the process should warn about at start (a retired variable that is still set). */
  readonly warnings: readonly string[];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment into a frozen Config, or throws a ConfigError naming every bad variable. */
export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const result = environmentSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const variable = issue.path.join('.') || '(environment)';
      const message = issue.code === 'invalid_enum_value' ? `must be one of ${issue.options.join(', ')}` : issue.message;
      return `${variable} ${message}`;
    });
    throw new ConfigError(problems);
  }
  const env_ = result.data;
  const database: Config['database'] = env_.DATABASE_URL
    ? {
        mode: 'server',
        url: env_.DATABASE_URL,
        poolSize: env_.DATABASE_POOL_SIZE,
        connectTimeoutMs: env_.DATABASE_CONNECT_TIMEOUT_MS,
      }
    : { mode: 'embedded', dataDir: env_.EMBEDDED_DB_DIR, connectTimeoutMs: env_.DATABASE_CONNECT_TIMEOUT_MS };

  const config: Config = {
    nodeEnv: env_.NODE_ENV,
    isProduction: env_.NODE_ENV === 'production',
    host: env_.HOST,
    port: env_.PORT,
    database: Object.freeze(database),
    migrateOnStart: env_.MIGRATE_ON_START,
    seedDemoOnEmpty: env_.SEED_DEMO_ON_EMPTY,
    session: Object.freeze({
      secret: env_.SESSION_SECRET ?? randomBytes(32).toString('hex'),
      secretIsEphemeral: env_.SESSION_SECRET === undefined,
      idleMinutes: env_.SESSION_IDLE_MINUTES,
      absoluteHours: env_.SESSION_ABSOLUTE_HOURS,
    }),
    loginRateLimit: Object.freeze({
      failuresPerAddress: env_.LOGIN_FAILURES_PER_ADDRESS,
      failuresPerAccount: env_.LOGIN_FAILURES_PER_ACCOUNT,
      windowMinutes: env_.LOGIN_RATE_LIMIT_WINDOW_MINUTES,
    }),
    mfa: Object.freeze({ requiredRoles: Object.freeze(env_.MFA_REQUIRED_ROLES), stepUpMinutes: env_.STEP_UP_MINUTES }),
    timeZone: env_.APP_TIMEZONE,
    defaultLocale: env_.DEFAULT_LOCALE,
    logLevel: env_.LOG_LEVEL,
    trustProxy: env_.TRUST_PROXY,
    organisationName: env_.ORGANISATION_NAME,
    shutdownTimeoutMs: env_.SHUTDOWN_TIMEOUT_MS,
    riskSnapshotAt: env_.RISK_SNAPSHOT_AT,
    pseudonymSecret: env_.PSEUDONYM_SECRET ?? DEVELOPMENT_PSEUDONYM_SECRET,
    metrics: Object.freeze({
      port: env_.METRICS_PORT === undefined ? null : Number(env_.METRICS_PORT),
      host: env_.METRICS_HOST,
    }),
    mail:
      env_.SMTP_URL !== undefined && env_.MAIL_FROM !== undefined
        ? Object.freeze({ smtpUrl: env_.SMTP_URL, from: env_.MAIL_FROM })
        : null,
    publicUrl: (env_.PUBLIC_URL ?? `http://localhost:${env_.PORT}`).replace(/\/+$/, ''),
    warnings: Object.freeze(
      Object.entries(RETIRED_VARIABLES)
        .filter(([variable]) => (env[variable] ?? '').trim() !== '')
        .map(([, warning]) => warning),
    ),
  };
  return Object.freeze(config);
}

/**
 * Reads `.env` from the working directory when it exists. Variables already set in the real
 * environment win, so a deployment can override the file without editing it.
 */
export function loadDotEnv(env: NodeJS.ProcessEnv = process.env, file = '.env'): void {
  if (!existsSync(file)) return;
  const values = parseEnv(readFileSync(file, 'utf8'));
  for (const [key, value] of Object.entries(values)) {
    if (env[key] === undefined) env[key] = value;
  }
}

/** For process entry points: parse or print every problem and exit with status 1. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  loadDotEnv(env);
  try {
    return parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
