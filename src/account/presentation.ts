import Bowser from 'bowser';
import type { OwnSession } from '../auth/service';
import type { Formatters } from '../lib/format';
import type { Translate } from '../platform/i18n';

/** One row of the person's sessions on /account. */
export interface SessionView {
  handle: string;
  current: boolean;
  /** Browser and operating system, from the user agent ("Firefox 133 op Windows 10"). */
  device: string;
  address: string;
  signedInAt: string;
  lastSeenAt: string;
}

function majorVersion(version: string | undefined): string {
  return version?.split('.')[0] ?? '';
}

/** Browser and operating system in words, from a user agent (bowser); an unknown one says so. */
export function describeDevice(userAgent: string, t: Translate): string {
  let parsed: Bowser.Parser.ParsedResult;
  try {
    if (userAgent.trim() === '') throw new Error('no user agent');
    parsed = Bowser.parse(userAgent);
  } catch {
    return t('account.sessions.unknownDevice');
  }
  const { browser, os } = parsed;
  const browserName = browser.name ? [browser.name, majorVersion(browser.version)].filter(Boolean).join(' ') : '';
  const osName = os.name ? [os.name, os.versionName ?? os.version].filter(Boolean).join(' ') : '';
  if (browserName && osName) return t('account.sessions.browserOn', { browser: browserName, os: osName });
  return browserName || osName || t('account.sessions.unknownDevice');
}

export function sessionView(session: OwnSession, t: Translate, fmt: Formatters): SessionView {
  return {
    handle: session.handle,
    current: session.current,
    device: describeDevice(session.userAgent, t),
    address: session.address || t('account.sessions.unknownAddress'),
    signedInAt: session.signedInAt ? fmt.dateTime(session.signedInAt) : '—',
    lastSeenAt: fmt.dateTime(session.lastSeenAt),
  };
}
