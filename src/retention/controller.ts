import type { Request } from 'express';
import { notFound } from '../lib/errors';
import { pageFromQuery, pageInfo } from '../lib/pagination';
import { pseudonymOf } from '../reports/service';
import type { Services } from '../services';
import { renderConflict } from '../web/conflict';
import type { ParticipantResponse, SignedInResponse } from '../web/context';
import { answeredWith, noticeFrom, postForm, withNotice, type FormState } from '../web/post-form';
import { ERASURE_LABELS, FIELD_LABELS, formValuesOf, hoursOf, SETTINGS_NOTICES } from './presentation';
import { ErasureForm, RetentionSettingsForm, RETENTION_RANGES } from './schemas';
import type { RetentionSettingsRow } from './service';

const SETTINGS = '/admin/retention';

function renderSettings(
  res: SignedInResponse,
  status: number,
  page: FormState & { settings: RetentionSettingsRow; notice?: string | null },
) {
  res.status(status).render('retention/settings', {
    title: res.locals.t('retention.settings.title'),
    settings: page.settings,
    values: page.values,
    errors: page.errors,
    labels: FIELD_LABELS,
    ranges: RETENTION_RANGES,
    notice: page.notice ?? null,
  });
}

/** GET /admin/retention: how long closed files, the audit log and deactivated accounts are kept. */
export async function showRetention({ retention }: Services, req: Request, res: SignedInResponse) {
  const settings = await retention.retentionSettings();
  renderSettings(res, 200, { settings, values: formValuesOf(settings), errors: {}, notice: noticeFrom(req, SETTINGS_NOTICES) });
}

/** POST /admin/retention: saved against the version the form was loaded at; the nightly job applies it. */
export async function saveRetention({ retention, clock }: Services, req: Request, res: SignedInResponse) {
  await postForm(req, res, {
    parse: RetentionSettingsForm,
    render: async (status, state) => renderSettings(res, status, { settings: await retention.retentionSettings(), ...state }),
    save: (form) => retention.saveRetentionSettings(res.locals.viewer, form, clock.now().toJSDate()),
    saved: (outcome, { values }) => {
      if (outcome.kind === 'saved') return withNotice(SETTINGS, 'saved');
      const current = formValuesOf(outcome.current);
      return answeredWith(
        renderConflict(res, {
          backHref: SETTINGS,
          action: SETTINGS,
          labels: FIELD_LABELS,
          current,
          yours: values,
          resubmit: { ...values, version: current.version },
        }),
      );
    },
  });
}

/** GET /admin/retention/dry-run: who the job would erase today (a page at a time), changing nothing. */
export async function showRetentionDryRun({ retention, clock, config }: Services, req: Request, res: SignedInResponse) {
  const page = pageFromQuery(req.query);
  const dryRun = await retention.retentionDryRun(res.locals.viewer, clock.now(), config.timeZone, page);
  res.render('retention/dry-run', {
    title: res.locals.t('retention.dryRun.title'),
    dryRun,
    pagination: pageInfo(page, dryRun.filesTotal, dryRun.files.length),
    baseQuery: '',
  });
}

async function renderErasure(services: Services, res: ParticipantResponse, status: number, state: FormState) {
  const { viewer, participant, t } = res.locals;
  const preview = await services.retention.erasurePreview(viewer, participant);
  if (!preview) throw notFound();
  res.status(status).render('retention/erase', {
    title: t('retention.erase.title'),
    participant,
    preview,
    hours: hoursOf(preview.counts.contactMinutes),
    pseudonym: pseudonymOf(services.config.pseudonymSecret, participant.id),
    erasure: null,
    values: state.values,
    errors: state.errors,
    labels: ERASURE_LABELS,
  });
}

/** GET /participants/:id/erase: what an erasure on request removes and keeps, or when the file was erased. */
export async function showErasure(services: Services, _req: Request, res: ParticipantResponse) {
  const { participant, t } = res.locals;
  if (participant.erasedAt) {
    res.render('retention/erase', {
      title: t('retention.erase.erasedHeading'),
      participant,
      erasure: await services.retention.erasureOf(participant.id),
    });
    return;
  }
  await renderErasure(services, res, 200, { values: { reason: '' }, errors: {} });
}

/** POST /participants/:id/erase: erases the closed file now, with the reason given; audited. */
export async function eraseParticipant(services: Services, req: Request, res: ParticipantResponse) {
  const { viewer, participant } = res.locals;
  const path = `/participants/${participant.id}/erase`;
  await postForm(req, res, {
    parse: ErasureForm,
    render: (status, state) => renderErasure(services, res, status, state),
    save: ({ reason }) =>
      services.retention.eraseOnRequest(
        viewer,
        participant.id,
        reason,
        { pseudonymSecret: services.config.pseudonymSecret },
        services.clock.now().toJSDate(),
      ),
    saved: (outcome) => (outcome.kind === 'erased' ? withNotice(path, 'erased') : path),
  });
}
