import { Router } from 'express';
import type { AppDeps } from '../app-deps';
import { requireRole } from '../auth/guards';
import { pageTranslator } from '../platform/i18n';
import { viewerFor } from '../lib/viewer';
import { newSubmissionToken } from '../platform/submissions/service';
import { describeReason } from '../risk/service';
import { coachDay, DAY_SECTIONS } from './service';

/** The choices of the quick-log's "next contact" select, as the contact form accepts them. */
const NEXT_SHORTCUTS = [
  { value: '', label: 'today.quickLog.shortcuts.none' },
  { value: 'in10min', label: 'today.quickLog.shortcuts.in10min' },
  { value: 'tomorrow', label: 'today.quickLog.shortcuts.tomorrow' },
  { value: 'in1week', label: 'today.quickLog.shortcuts.in1week' },
  { value: 'in2weeks', label: 'today.quickLog.shortcuts.in2weeks' },
];

/** The coach's day: whom to contact today, each with a quick-log form that returns here. */
export function todayRoutes(deps: AppDeps): Router {
  const router = Router();
  const { db, clock, config } = deps;

  router.get('/today', requireRole('coach'), async (req, res) => {
    const viewer = viewerFor(req.user!, clock, config.timeZone);
    const day = await coachDay(db, viewer, { now: clock.now(), timeZone: config.timeZone });
    // Every row is its own create form, so each gets its own one-time token.
    const sections = DAY_SECTIONS.map((key) => ({
      key,
      rows: day.sections[key].map((row) => ({ ...row, submissionToken: newSubmissionToken() })),
    }));
    res.render('today/index', {
      // Rows repeat the same texts (channel, outcome, days late): each is translated once per page.
      t: pageTranslator(res.locals.t),
      title: res.locals.t('today.title'),
      todayDate: viewer.today,
      sections,
      notListed: day.notListed,
      caseloadSize: day.caseloadSize,
      nextShortcuts: NEXT_SHORTCUTS,
      describeRiskReason: describeReason,
    });
  });

  return router;
}
