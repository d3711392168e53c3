import type { Locale } from '../config';
import type { Translate } from '../platform/i18n';
import type { Mailer } from '../platform/mail';

/**
 * What composing and sending a mail needs besides the database, handed in by the composition root
 * (services.ts, jobs.ts): the transport, the translators of the whole catalog (a mail is in its
 * recipient's language, not the page's), and where links point.
 */
export interface MailDeps {
  mailer: Mailer;
  translatorFor: (locale: Locale) => Translate;
  /** DEFAULT_LOCALE: the language of a recipient without a choice of their own or a team default. */
  defaultLocale: Locale;
  /** PUBLIC_URL: the base of every link in a mail. */
  publicUrl: string;
  timeZone: string;
  /** SESSION_SECRET: the key of the unsubscribe links' signatures. */
  secret: string;
}
