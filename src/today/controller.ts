import type { Request, Response } from 'express';
import { z } from 'zod';
import { newSubmissionToken } from '../platform/submissions/service';
import { describeReason } from '../risk/service';
import type { Services } from '../services';
import type { SignedInResponse } from '../web/context';
import { CALL_BACK_CHOICES, NEXT_SHORTCUTS } from './presentation';
import { DAY_SECTIONS, daySignature, dueCalls } from './service';

/** A quick log that was refused: the row it came from shows the messages beside it, with what was typed. */
export interface FailedQuickLog {
  participantId: number;
  values: Record<string, string>;
  /** Field → message key. */
  errors: Record<string, string>;
}

/** ?logged=<contact id>: the quick log just saved, which the page confirms in its status message. */
const TodayQuery = z.object({ logged: z.coerce.number().int().positive().max(2_147_483_647).optional().catch(undefined) });

/** The day page, also after a refused quick log (status 422, that row's messages and values). */
export async function renderToday(
  services: Services,
  res: SignedInResponse,
  status: number,
  options: { failed?: FailedQuickLog; loggedContactId?: number } = {},
) {
  const { viewer, t } = res.locals;
  const now = services.clock.now();
  const [day, logged, followUps] = await Promise.all([
    services.today.coachDay(viewer, now),
    options.loggedContactId === undefined ? undefined : services.today.loggedContact(viewer, options.loggedContactId),
    // Referrals whose follow-up date has come: one query, at most TODAY_FOLLOW_UP_LIMIT rows.
    services.referrals.dueFollowUps(viewer),
  ]);
  // Every row is its own create form, so each gets its own one-time token (added to the day's
  // own fresh rows rather than to a copy of each).
  const sections = DAY_SECTIONS.map((key) => ({
    key,
    rows: day.sections[key].map((row) => Object.assign(row, { submissionToken: newSubmissionToken() })),
  }));
  // The row after each one in page order: a saved quick log brings the focus there.
  const order = sections.flatMap((section) => section.rows.map((row) => row.id));
  const nextRowOf = Object.fromEntries(order.map((id, index) => [id, order[index + 1] ?? '']));
  res.status(status).render('today/index', {
    // Texts with values per row come from the translator's compiled forms (src/platform/i18n.ts):
    // cheaper than pageTranslator's memo, whose key building cost more than it saved here.
    t,
    title: t('today.title'),
    todayDate: viewer.today,
    sections,
    nextRowOf,
    signature: daySignature(day),
    dueNow: dueCalls(day),
    logged: logged ?? null,
    failed: options.failed ?? null,
    notListed: day.notListed,
    caseloadSize: day.caseloadSize,
    followUps,
    nextShortcuts: NEXT_SHORTCUTS,
    callBackChoices: CALL_BACK_CHOICES,
    describeRiskReason: describeReason,
  });
}

/** GET /today: the coach's day, whom to contact now and today, each with a quick log that returns here. */
export async function showToday(services: Services, req: Request, res: SignedInResponse) {
  const { logged } = TodayQuery.parse(req.query);
  await renderToday(services, res, 200, { loggedContactId: logged });
}

/**
 * GET /today/updates: what an open /today polls (views/assets/js/today-live.js, at most every
 * 30 s while visible): the signature of the day's sections, to know when to fetch the page again,
 * and the calls due now, by first name and time only, for the announcement and the notification.
 */
export async function showTodayUpdates(services: Services, _req: Request, res: SignedInResponse & Response) {
  const day = await services.today.coachDay(res.locals.viewer, services.clock.now());
  res.set('Cache-Control', 'no-store');
  res.json({ signature: daySignature(day), dueNow: dueCalls(day) });
}
