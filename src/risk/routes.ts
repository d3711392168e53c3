import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../app-deps';
import { requireRole } from '../auth/guards';
import { renderConflict } from '../web/conflict';
import { parseForm } from '../lib/forms';
import { viewerFor, type Viewer } from '../lib/viewer';
import { FormRejection, notFound } from '../lib/errors';
import { idParam } from '../lib/form-fields';
import { paramsOr404 } from '../web/params';
import { findParticipant, type ParticipantRecord } from '../participants/service';
import { RiskAcknowledgeForm, RiskSettingsForm, RISK_SETTING_RANGES } from './schemas';
import {
  RISK_SETTING_FIELDS,
  acknowledgeRisk,
  findRiskSettingsRecord,
  riskPanelFor,
  saveRiskSettings,
  type RiskPanel,
  type RiskSettingsRecord,
} from './service';

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

const ACKNOWLEDGE_LABELS: Record<string, string> = {
  note: 'risk.acknowledge.note',
  snoozeUntil: 'risk.acknowledge.snoozeUntil',
};

/** Marks the router so tests can tell whether src/app.ts mounts it already. */
export const RISK_ROUTES_MARK = Symbol.for('inbeeld.riskRoutes');

/**
 * Acknowledging a participant's risk flag, at the root: GET shows the current reasons with the
 * form, POST stores it. A participant the viewer may not see is a 404 and nothing is stored.
 */
export function riskRoutes(deps: AppDeps): Router {
  const router = Router();
  const { db, clock, config } = deps;

  async function load(req: Request): Promise<{ viewer: Viewer; participant: ParticipantRecord; risk: RiskPanel | undefined }> {
    const params = paramsOr404(idParam, req);
    const viewer = viewerFor(req.user!, clock, config.timeZone);
    const participant = await findParticipant(db, viewer, params.id);
    if (!participant) throw notFound();
    const risk = await riskPanelFor(db, viewer, participant.id, clock.now(), config.timeZone);
    return { viewer, participant, risk };
  }

  function renderAcknowledge(
    res: Response,
    status: number,
    data: {
      participant: ParticipantRecord;
      risk: RiskPanel | undefined;
      values: Record<string, string>;
      errors?: Record<string, string>;
    },
  ) {
    const flagged = data.risk !== undefined && data.risk.assessment.level !== 'none';
    res.status(status).render('risk/acknowledge', {
      title: res.locals.t('risk.acknowledge.title'),
      participant: data.participant,
      risk: data.risk,
      flagged,
      values: data.values,
      errors: data.errors ?? {},
      labels: ACKNOWLEDGE_LABELS,
    });
  }

  router.get('/participants/:id/risk/acknowledge', async (req, res) => {
    const { participant, risk } = await load(req);
    renderAcknowledge(res, 200, { participant, risk, values: { note: '', snoozeUntil: '' } });
  });

  router.post('/participants/:id/risk/acknowledge', async (req, res) => {
    const { viewer, participant, risk } = await load(req);
    const form = parseForm(RiskAcknowledgeForm, req.body);
    if (!form.ok) return renderAcknowledge(res, 422, { participant, risk, values: form.values, errors: form.errors });
    try {
      const outcome = await acknowledgeRisk(db, viewer, participant.id, form.data, clock.now(), config.timeZone);
      if (outcome.kind === 'notFlagged') {
        // The flag went away while the form was open: say so on the form page, keeping the note.
        return renderAcknowledge(res, 422, { participant, risk: undefined, values: form.values });
      }
      res.redirect(303, `/participants/${participant.id}?done=riskAcknowledged#risk`);
    } catch (error) {
      if (error instanceof FormRejection)
        return renderAcknowledge(res, 422, { participant, risk, values: form.values, errors: error.errors });
      throw error;
    }
  });

  Object.defineProperty(router, RISK_ROUTES_MARK, { value: true });
  return router;
}
