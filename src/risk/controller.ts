import type { Request } from 'express';
import type { Services } from '../services';
import { renderConflict } from '../web/conflict';
import type { ParticipantResponse, SignedInResponse } from '../web/context';
import { noticeFrom, postForm, withNotice, type FormState, answeredWith } from '../web/post-form';
import {
  ACKNOWLEDGE_LABELS,
  FIELD_LABELS,
  formValuesOf,
  GROUPS,
  recomputeViewOf,
  SETTINGS_NOTICES,
  thresholdValuesOf,
} from './presentation';
import { RiskAcknowledgeForm, RiskSettingsForm, RISK_SETTING_RANGES } from './schemas';
import type { RiskPanel, RiskSettingsRecord } from './service';
import type { RiskRecomputeProgress } from './state';
import { testMailOutcomeOf, type MailSettingsSection } from '../mail/service';

interface SettingsPage extends FormState {
  record: RiskSettingsRecord;
  recompute: RiskRecomputeProgress | null;
  /** The page's mail section (src/mail: views/mail/_settings-section.ejs). */
  mail: MailSettingsSection;
  notice?: string | null;
}

/** What the settings page shows besides the form: the settings in force and how far their recompute is, and mail. */
async function settingsPage({ risk, riskState, mailing }: Services, res: SignedInResponse) {
  const [record, recompute, mail] = await Promise.all([
    risk.findRiskSettingsRecord(),
    riskState.findRiskRecomputeProgress(),
    mailing.settingsSection(res.locals.viewer.userId),
  ]);
  return { record, recompute, mail };
}

function renderSettings(req: Request, res: SignedInResponse, status: number, page: SettingsPage) {
  res.status(status).render('risk/settings', {
    mailSettings: { ...page.mail, testOutcome: testMailOutcomeOf(req.query.mailTest) },
    title: res.locals.t('risk.settings.title'),
    record: page.record,
    values: page.values,
    errors: page.errors,
    labels: FIELD_LABELS,
    groups: GROUPS,
    ranges: RISK_SETTING_RANGES,
    recompute: recomputeViewOf(page.recompute),
    notice: page.notice ?? null,
  });
}

/** GET /admin/settings: the thresholds of the risk signals, and the progress of their recompute. */
export async function showRiskSettings(services: Services, req: Request, res: SignedInResponse) {
  const { record, recompute, mail } = await settingsPage(services, res);
  renderSettings(req, res, 200, {
    record,
    recompute,
    mail,
    values: formValuesOf(record),
    errors: {},
    notice: noticeFrom(req, SETTINGS_NOTICES),
  });
}

/**
 * POST /admin/settings: saved against the version the form was loaded at (a stale form gets the
 * conflict page); answers at once, the risk levels are recomputed in the background.
 */
export async function saveRiskSettings(services: Services, req: Request, res: SignedInResponse) {
  const { riskState, clock, jobs } = services;
  await postForm(req, res, {
    parse: RiskSettingsForm,
    render: async (status, state) => renderSettings(req, res, status, { ...(await settingsPage(services, res)), ...state }),
    save: (form) => riskState.saveRiskSettingsAndRecompute(res.locals.viewer, form, clock.now().toJSDate(), jobs),
    saved: (outcome, { data }) => {
      if (outcome.kind === 'saved') return withNotice('/admin/settings', 'saved');
      const current = formValuesOf(outcome.current);
      // The conflict page shows your thresholds as read (' 07' as '7'), not as typed.
      const yours = thresholdValuesOf(data);
      return answeredWith(
        renderConflict(res, {
          backHref: '/admin/settings',
          action: '/admin/settings',
          labels: FIELD_LABELS,
          current,
          yours,
          resubmit: { ...yours, version: current.version },
        }),
      );
    },
  });
}

interface AcknowledgePage extends FormState {
  risk: RiskPanel | undefined;
}

function renderAcknowledge(res: ParticipantResponse, status: number, page: AcknowledgePage) {
  const { risk } = page;
  res.status(status).render('risk/acknowledge', {
    title: res.locals.t('risk.acknowledge.title'),
    participant: res.locals.participant,
    risk,
    flagged: risk !== undefined && risk.assessment.level !== 'none',
    values: page.values,
    errors: page.errors,
    labels: ACKNOWLEDGE_LABELS,
  });
}

/** The participant's risk as the profile's panel shows it (undefined when not scored). */
function riskOf({ risk, clock, config }: Services, res: ParticipantResponse): Promise<RiskPanel | undefined> {
  return risk.riskPanelFor(res.locals.viewer, res.locals.participant.id, clock.now(), config.timeZone);
}

/** GET /participants/:id/risk/acknowledge: the current reasons with the form. */
export async function showAcknowledgeRiskForm(services: Services, _req: Request, res: ParticipantResponse) {
  renderAcknowledge(res, 200, { risk: await riskOf(services, res), values: { note: '', snoozeUntil: '' }, errors: {} });
}

/** POST /participants/:id/risk/acknowledge: stores the acknowledgement of the current flag. */
export async function acknowledgeRisk(services: Services, req: Request, res: ParticipantResponse) {
  const { viewer, participant } = res.locals;
  const { clock, config } = services;
  const risk = await riskOf(services, res);
  await postForm(req, res, {
    parse: RiskAcknowledgeForm,
    render: (status, state) => renderAcknowledge(res, status, { risk, ...state }),
    save: (form) => services.riskAcknowledgements.acknowledgeRisk(viewer, participant.id, form, clock.now(), config.timeZone),
    saved: (outcome, { values }) => {
      if (outcome.kind === 'acknowledged') return withNotice(`/participants/${participant.id}#risk`, 'riskAcknowledged');
      // The flag went away while the form was open: say so on the form page, keeping the note.
      return answeredWith(renderAcknowledge(res, 422, { risk: undefined, values, errors: {} }));
    },
  });
}
