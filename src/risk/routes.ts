import { Router, type Response } from 'express';
import type { AppDeps } from '../app-deps';
import { requireRole } from '../auth/guards';
import { renderConflict } from '../lib/conflict';
import { parseForm } from '../lib/forms';
import { viewerFor } from '../lib/viewer';
import { RiskSettingsForm, RISK_SETTING_RANGES } from './schemas';
import { RISK_SETTING_FIELDS, findRiskSettingsRecord, saveRiskSettings, type RiskSettingsRecord } from './service';

const FIELD_LABELS: Record<string, string> = Object.fromEntries(
  RISK_SETTING_FIELDS.map((field) => [field, `risk.settings.fields.${field}`]),
);

/** The form's fields in groups, one per signal of product.md's table. */
const GROUPS = [
  { key: 'lastReached', fields: ['lastReachedAmberDays', 'lastReachedRedDays'] },
  { key: 'unreached', fields: ['unreachedAmberAttempts', 'unreachedRedAttempts'] },
  { key: 'overdue', fields: ['overdueAmberDays', 'overdueRedDays'] },
  { key: 'noPlacement', fields: ['noPlacementRedDays'] },
  { key: 'hours', fields: ['hoursLookbackWeeks', 'hoursDropAmberPercent', 'hoursDropRedPercent'] },
  { key: 'wellbeing', fields: ['wellbeingLowScore', 'wellbeingDropPoints', 'wellbeingDropChecks'] },
] as const;

function valuesOf(record: RiskSettingsRecord): Record<string, string> {
  return {
    ...Object.fromEntries(RISK_SETTING_FIELDS.map((field) => [field, String(record[field])])),
    version: String(record.version),
  };
}

/** The thresholds of the risk signals, mounted under /admin. Only administrators; anyone else gets 404. */
export function riskSettingsRoutes(deps: AppDeps): Router {
  const router = Router();
  const { db, clock, config } = deps;
  // Guard only this feature's path: other routers share the /admin mount.
  router.use('/settings', requireRole('admin'));

  function renderForm(
    res: Response,
    status: number,
    data: { record: RiskSettingsRecord; values: Record<string, string>; errors?: Record<string, string>; notice?: string | null },
  ) {
    res.status(status).render('risk/settings', {
      title: res.locals.t('risk.settings.title'),
      record: data.record,
      values: data.values,
      errors: data.errors ?? {},
      labels: FIELD_LABELS,
      groups: GROUPS,
      ranges: RISK_SETTING_RANGES,
      notice: data.notice ?? null,
    });
  }

  router.get('/settings', async (req, res) => {
    const record = await findRiskSettingsRecord(db);
    renderForm(res, 200, { record, values: valuesOf(record), notice: req.query.done === 'saved' ? 'saved' : null });
  });

  router.post('/settings', async (req, res) => {
    const form = parseForm(RiskSettingsForm, req.body);
    if (!form.ok)
      return renderForm(res, 422, { record: await findRiskSettingsRecord(db), values: form.values, errors: form.errors });
    const viewer = viewerFor(req.user!, clock, config.timeZone);
    const outcome = await saveRiskSettings(db, viewer, form.data, clock.now().toJSDate());
    if (outcome.kind === 'conflict') {
      const current = valuesOf(outcome.current);
      const yours = Object.fromEntries(RISK_SETTING_FIELDS.map((field) => [field, String(form.data[field])]));
      return renderConflict(res, {
        backHref: '/admin/settings',
        action: '/admin/settings',
        labels: FIELD_LABELS,
        current,
        yours,
        resubmit: { ...yours, version: current.version },
      });
    }
    res.redirect(303, '/admin/settings?done=saved');
  });

  return router;
}
