import type { Kysely } from 'kysely';
import type passport from 'passport';
import type { Config } from './config';
import type { Database } from './db/schema';
import type { Clock } from './lib/clock';
import type { Logger } from './lib/logger';

/** What every feature's routes receive from createApp. */
export interface AppDeps {
  readonly config: Config;
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly passport: passport.Authenticator;
}
