import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type IncrementResponse, type Options, type Store } from 'express-rate-limit';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Clock } from '../lib/clock';
import { decrementRateLimitHits, deleteExpiredRateLimits, deleteRateLimitKey, incrementRateLimitHits } from './queries';

/**
 * express-rate-limit store backed by PostgreSQL: every app process shares the same counters, so
 * running several processes does not multiply the number of allowed login attempts.
 */
export class PostgresRateLimitStore implements Store {
  private windowMs = 60_000;
  readonly localKeys = false;
  private incrementsSinceCleanup = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    readonly prefix: string,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async increment(key: string): Promise<IncrementResponse> {
    const now = this.clock.now().toJSDate();
    if (++this.incrementsSinceCleanup >= 500) {
      this.incrementsSinceCleanup = 0;
      await deleteExpiredRateLimits(this.db, now);
    }
    const { hits, resetAt } = await incrementRateLimitHits(this.db, this.prefix + key, now, this.windowMs);
    return { totalHits: hits, resetTime: resetAt };
  }

  async decrement(key: string): Promise<void> {
    await decrementRateLimitHits(this.db, this.prefix + key);
  }

  async resetKey(key: string): Promise<void> {
    await deleteRateLimitKey(this.db, this.prefix + key);
  }
}

export function emailFromLoginForm(req: Request): string {
  const email = (req.body as Record<string, unknown> | undefined)?.email;
  return typeof email === 'string' ? email.trim().toLowerCase().slice(0, 254) : '';
}

export interface LoginRateLimitOptions {
  db: Kysely<Database>;
  clock: Clock;
  max: number;
  windowMinutes: number;
  onLimited: RequestHandler;
}

/**
 * Two limits on POST /login: per client address and per email address. Either one reached
 * answers 429 through onLimited; every attempt counts, successful or not.
 */
export function loginRateLimiters(options: LoginRateLimitOptions): RequestHandler[] {
  const common = {
    windowMs: options.windowMinutes * 60_000,
    limit: options.max,
    standardHeaders: 'draft-7' as const,
    legacyHeaders: false,
    handler: options.onLimited,
    // A database outage must not become "too many attempts": let the request through to the
    // login handler, which then answers 503 on its own database call.
    passOnStoreError: true,
  };
  return [
    rateLimit({
      ...common,
      store: new PostgresRateLimitStore(options.db, options.clock, 'login-ip:'),
      keyGenerator: (req) => ipKeyGenerator(req.ip ?? 'unknown'),
    }),
    rateLimit({
      ...common,
      store: new PostgresRateLimitStore(options.db, options.clock, 'login-email:'),
      keyGenerator: (req) => emailFromLoginForm(req),
      skip: (req) => emailFromLoginForm(req) === '',
    }),
  ];
}
