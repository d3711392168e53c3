import type { Request } from 'express';
import { securityEvent } from '../platform/security-log';
import type { Services } from '../services';
import type { PublicResponse, SignedInResponse } from '../web/context';
import { withNotice } from '../web/post-form';
import { feedAddress, feedCalendar, webcalAddress } from './presentation';
import { FeedFileParam } from './schemas';

/** GET /account/calendar-feed/regenerate: a new address breaks the old one, so the page asks first. */
export async function showRegenerateFeed({ calendar }: Services, _req: Request, res: SignedInResponse) {
  const { viewer, t } = res.locals;
  if (!(await calendar.calendarFeedOf(viewer.userId))) return res.redirect(303, '/account#calendar');
  res.render('calendar/confirm', { title: t('calendar.regenerate.title'), action: 'regenerate' });
}

/** GET /account/calendar-feed/revoke: asks before the address stops working. */
export async function showRevokeFeed({ calendar }: Services, _req: Request, res: SignedInResponse) {
  const { viewer, t } = res.locals;
  if (!(await calendar.calendarFeedOf(viewer.userId))) return res.redirect(303, '/account#calendar');
  res.render('calendar/confirm', { title: t('calendar.revoke.title'), action: 'revoke' });
}

/**
 * POST /account/calendar-feed: a new address (the first, or one replacing the old). The answer is
 * the page that shows it, not a redirect: the token exists only in this response, never in a URL,
 * a session or the database (which keeps its hash), and the page is not cached (no-store).
 */
export async function issueFeed({ calendar, clock, config }: Services, _req: Request, res: SignedInResponse) {
  const { viewer, t } = res.locals;
  const { token, replaced } = await calendar.issueCalendarFeed(viewer.userId, clock.now().toJSDate());
  const address = feedAddress(config.publicUrl, token);
  res.render('calendar/created', { title: t('calendar.created.title'), address, webcal: webcalAddress(address), replaced });
}

/** POST /account/calendar-feed/revoke: the address stops working at once. */
export async function revokeFeed({ calendar }: Services, _req: Request, res: SignedInResponse) {
  const revoked = await calendar.revokeCalendarFeed(res.locals.viewer.userId);
  res.redirect(303, withNotice('/account#calendar', revoked ? 'calendarRevoked' : 'calendarNothingToRevoke'));
}

/**
 * GET /calendar/<token>.ics, for calendar apps: no session, no form, the secret address is the key.
 * Anything but a working address is the same bare 404 (not "revoked", not "malformed").
 */
export async function serveFeed(services: Services, req: Request, res: PublicResponse) {
  const { calendar, clock, config, translatorFor } = services;
  const file = FeedFileParam.safeParse(req.params);
  const token = file.success ? file.data.feed.slice(0, -'.ics'.length) : '';
  const fetched = await calendar.fetchCalendarFeed(token, clock.now().toJSDate(), config.timeZone);
  if (fetched.kind === 'unknown') {
    securityEvent('calendar_feed_refused', 'refused');
    res
      .status(404)
      .type('text/plain')
      .send(`${res.locals.t('errors.notFound.title')}\n`);
    return;
  }
  if (fetched.kind === 'throttled') {
    securityEvent('calendar_feed_throttled', 'refused', { limit: 'fetches per hour of one calendar feed' });
    res
      .status(429)
      .set('Retry-After', String(fetched.retryAfterSeconds))
      .type('text/plain')
      .send(`${res.locals.t('calendar.feed.tooOften')}\n`);
    return;
  }
  const body = feedCalendar(fetched, {
    t: translatorFor(fetched.owner.locale ?? config.defaultLocale),
    publicUrl: config.publicUrl,
    timeZone: config.timeZone,
  });
  res
    .status(200)
    .set('Content-Type', 'text/calendar; charset=utf-8')
    .set('Content-Disposition', 'inline; filename="inbeeld.ics"')
    .send(body);
}
