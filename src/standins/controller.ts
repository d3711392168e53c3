import type { Request } from 'express';
import { notFound } from '../lib/errors';
import { idParam } from '../lib/form-fields';
import { pageFromQuery, pageInfo } from '../lib/pagination';
import type { Viewer } from '../lib/viewer';
import { newSubmissionToken } from '../platform/submissions/service';
import type { Services } from '../services';
import type { SignedInResponse } from '../web/context';
import { paramsOr404 } from '../web/params';
import { noticeFrom, postForm, withNotice, type FormState, answeredWith } from '../web/post-form';
import { parseStandinForm, withJoinedParticipantIds, type StandinInput } from './schemas';
import { AwayRejection, mayArrangeStandins, OverlapRejection } from './service';

const FIELD_LABELS: Record<string, string> = {
  absentCoachId: 'standins.fields.absentCoach',
  standinCoachId: 'standins.fields.standinCoach',
  startsOn: 'standins.fields.startsOn',
  endsOn: 'standins.fields.endsOn',
  note: 'standins.fields.note',
  covers: 'standins.fields.covers',
  participantIds: 'standins.fields.participants',
};

/** The notices the list shows after a change (views/standins/list.ejs words them). */
const NOTICES = { created: 'created', cancelled: 'cancelled' } as const;

type Overlapping = OverlapRejection['overlapping'];
type Away = AwayRejection['away'];

/** GET /standins: current, upcoming and past stand-ins the viewer may see. */
export async function listStandins({ standins }: Services, req: Request, res: SignedInResponse) {
  const { viewer, t } = res.locals;
  const page = pageFromQuery(req.query);
  const overview = await standins.standinOverview(viewer, page);
  res.render('standins/list', {
    title: t('standins.list.title'),
    overview,
    canArrange: mayArrangeStandins(viewer),
    pagination: pageInfo(page, overview.pastTotal, overview.past.length),
    baseQuery: '',
    notice: noticeFrom(req, NOTICES),
  });
}

async function renderForm(
  { standins }: Services,
  res: SignedInResponse,
  status: number,
  form: FormState & { overlapping?: Overlapping; away?: Away },
) {
  const { viewer } = res.locals;
  const absentCoachId = /^\d{1,9}$/.test(form.values.absentCoachId ?? '') ? Number(form.values.absentCoachId) : null;
  const [coaches, participants] = await Promise.all([
    standins.standinCoachOptions(viewer),
    standins.participantsToChoose(viewer, absentCoachId),
  ]);
  res.status(status).render('standins/form', {
    title: res.locals.t('standins.form.title'),
    values: form.values,
    errors: form.errors,
    labels: FIELD_LABELS,
    coaches,
    participants,
    participantsOf: absentCoachId,
    checkedParticipantIds: (form.values.participantIds ?? '').split(',').filter(Boolean),
    overlapping: form.overlapping ?? null,
    away: form.away ?? null,
  });
}

/** GET /standins/new: starting today, covering the whole caseload. */
export async function showNewStandinForm(services: Services, _req: Request, res: SignedInResponse) {
  const { viewer, fmt } = res.locals;
  const values = {
    submissionToken: newSubmissionToken(),
    absentCoachId: '',
    standinCoachId: '',
    startsOn: fmt.dateInput(viewer.today),
    endsOn: '',
    covers: 'caseload',
    participantIds: '',
    note: '',
  };
  await renderForm(services, res, 200, { values, errors: {} });
}

/**
 * The stand-in stored, or the one it would overlap: the service refuses that with an
 * OverlapRejection, which the form shows beside its message (a plain FormRejection is postForm's).
 */
async function arrange(services: Services, viewer: Viewer, input: StandinInput, submissionToken: string) {
  try {
    return await services.standins.createStandin(viewer, input, submissionToken, services.clock.now().toJSDate());
  } catch (error) {
    if (error instanceof OverlapRejection)
      return { kind: 'overlap' as const, errors: error.errors, overlapping: error.overlapping };
    if (error instanceof AwayRejection) return { kind: 'away' as const, errors: error.errors, away: error.away };
    throw error;
  }
}

/**
 * POST /standins/new: a stand-in overlapping another of the same absent coach (for the same
 * participants) is refused, naming that one; so is a stand-in who is away themselves. The button
 * "show participants" only shows the form again with the absent coach's participants to choose from.
 */
export async function arrangeStandin(services: Services, req: Request, res: SignedInResponse) {
  if ((req.body as Record<string, unknown> | undefined)?.intent === 'showParticipants') {
    const values = Object.fromEntries(
      Object.entries(withJoinedParticipantIds(req.body)).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    );
    return renderForm(services, res, 200, { values: { ...values, covers: 'participants' }, errors: {} });
  }
  await postForm(req, res, {
    parse: parseStandinForm,
    render: (status, state) => renderForm(services, res, status, state),
    save: ({ submissionToken, ...input }) => arrange(services, res.locals.viewer, input, submissionToken),
    saved: async (outcome, { values }) => {
      if (outcome.kind === 'created') return withNotice(outcome.path, 'created');
      if (outcome.kind === 'away')
        return answeredWith(renderForm(services, res, 422, { values, errors: outcome.errors, away: outcome.away }));
      return answeredWith(renderForm(services, res, 422, { values, errors: outcome.errors, overlapping: outcome.overlapping }));
    },
  });
}

/** GET /standins/:id/cancel: cancelling takes access away at once, so it is confirmed on a page of its own first. */
export async function showCancelStandinForm({ standins }: Services, req: Request, res: SignedInResponse) {
  const { id } = paramsOr404(idParam, req);
  const found = await standins.findStandinToCancel(res.locals.viewer, id);
  if (!found) throw notFound();
  if (!found.cancellable) return res.redirect(303, '/standins');
  res.render('standins/cancel', { title: res.locals.t('standins.cancel.title'), standin: found.standin });
}

/** POST /standins/:id/cancel: a second click finds nothing left to cancel; the list already shows the result. */
export async function cancelStandin({ standins, clock }: Services, req: Request, res: SignedInResponse) {
  const { id } = paramsOr404(idParam, req);
  const outcome = await standins.cancelStandin(res.locals.viewer, id, clock.now().toJSDate());
  if (outcome === 'notFound') throw notFound();
  res.redirect(303, outcome === 'cancelled' ? withNotice('/standins', 'cancelled') : '/standins');
}
