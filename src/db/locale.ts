import { sql } from 'kysely';
import type { Locale } from '../config';

/**
 * A person's chosen language as SQL, `locale` of a query over `users`: their own choice, else their
 * team's default, else null (the caller applies the organisation's DEFAULT_LOCALE, which the
 * database does not know). The same order as effectiveLocale in platform/i18n.ts, for what is
 * written without a request (mails, calendar feeds).
 */
export const chosenLocale =
  sql<Locale | null>`coalesce(users.locale, (select teams.default_locale from teams where teams.id = users.team_id))`.as(
    'locale',
  );
