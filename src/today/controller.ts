import type { Request } from 'express';
import { pageTranslator } from '../platform/i18n';
import { newSubmissionToken } from '../platform/submissions/service';
import { describeReason } from '../risk/service';
import type { Services } from '../services';
import type { SignedInResponse } from '../web/context';
import { NEXT_SHORTCUTS } from './presentation';
import { DAY_SECTIONS } from './service';

/** GET /today: the coach's day, whom to contact today, each with a quick-log form that returns here. */
export async function showToday(services: Services, _req: Request, res: SignedInResponse) {
  const { viewer, t } = res.locals;
  const day = await services.today.coachDay(viewer);
  // Every row is its own create form, so each gets its own one-time token.
  const sections = DAY_SECTIONS.map((key) => ({
    key,
    rows: day.sections[key].map((row) => ({ ...row, submissionToken: newSubmissionToken() })),
  }));
  res.render('today/index', {
    // Rows repeat the same texts (channel, outcome, days late): each is translated once per page.
    t: pageTranslator(t),
    title: t('today.title'),
    todayDate: viewer.today,
    sections,
    notListed: day.notListed,
    caseloadSize: day.caseloadSize,
    nextShortcuts: NEXT_SHORTCUTS,
    describeRiskReason: describeReason,
  });
}
