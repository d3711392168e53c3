import type { Request } from 'express';
import { notFound } from '../lib/errors';
import { pageFromQuery, pageInfo } from '../lib/pagination';
import { newSubmissionToken } from '../platform/submissions/service';
import type { Services } from '../services';
import type { ParticipantResponse, SignedInResponse } from '../web/context';
import { afterSeeing } from '../web/navigation';
import { paramsOr404 } from '../web/params';
import { answeredWith, noticeFrom, postForm, withNotice, type FormState } from '../web/post-form';
import { NewRequestQuery, requestParams, SupportAnswerForm, SupportRequestForm } from './schemas';
import { mayAnswer, type SupportRequestItem } from './service';

const FIELD_LABELS: Record<string, string> = { question: 'support.fields.question', answer: 'support.fields.answer' };
const NOTICES = {
  asked: 'support.notices.asked',
  answered: 'support.notices.answered',
  alreadyAnswered: 'support.notices.alreadyAnswered',
} as const;

/** The contact moment the question is about (from ?contact= or the form), when it is this participant's. */
async function contactFor(services: Services, res: ParticipantResponse, contactMomentId: number | null) {
  if (contactMomentId === null) return null;
  const { viewer, participant } = res.locals;
  const contact = await services.contacts.findContact(viewer, participant.id, contactMomentId);
  if (!contact) throw notFound();
  return contact;
}

async function renderNew(services: Services, res: ParticipantResponse, status: number, state: FormState) {
  const { participant, viewer, t } = res.locals;
  const contactMomentId = /^\d{1,9}$/.test(state.values.contactMomentId ?? '') ? Number(state.values.contactMomentId) : null;
  const contact = await contactFor(services, res, contactMomentId);
  res.status(status).render('support/new', {
    title: t('support.new.title'),
    participant,
    contact,
    noTeam: viewer.teamId === null,
    values: state.values,
    errors: state.errors,
    labels: FIELD_LABELS,
  });
}

/** GET /participants/:id/support/new: a coach's question to their team leader, from the participant or ?contact=. */
export async function showNewRequestForm(services: Services, req: Request, res: ParticipantResponse) {
  const { contact } = NewRequestQuery.parse(req.query);
  const values = {
    question: '',
    contactMomentId: contact === null ? '' : String(contact),
    submissionToken: newSubmissionToken(),
  };
  await renderNew(services, res, 200, { values, errors: {} });
}

/** POST /participants/:id/support/new */
export async function askForSupport(services: Services, req: Request, res: ParticipantResponse) {
  const { viewer, participant } = res.locals;
  await postForm(req, res, {
    parse: SupportRequestForm,
    render: (status, state) => renderNew(services, res, status, state),
    save: ({ question, contactMomentId, submissionToken }) =>
      services.support.askForSupport(
        viewer,
        { participantId: participant.id, contactMomentId },
        { question, submissionToken },
        services.clock.now().toJSDate(),
      ),
    saved: (outcome) => withNotice(outcome.path, 'asked'),
  });
}

/** GET /support: a coach's own requests, a manager's team's (open first). */
export async function listRequests({ support }: Services, req: Request, res: SignedInResponse) {
  const { viewer, t } = res.locals;
  const page = pageFromQuery(req.query);
  const { rows, total } = await support.requestsPage(viewer, page);
  res.render('support/list', {
    title: t('support.list.title'),
    rows,
    pagination: pageInfo(page, total, rows.length),
    baseQuery: '',
  });
}

function renderRequest(
  _services: Services,
  res: SignedInResponse,
  request: SupportRequestItem,
  status: number,
  page: Partial<FormState> & { notice?: string | null },
) {
  res.locals.navigation = afterSeeing(res.locals.navigation, '/support', request.newAnswer ? 1 : 0);
  res.status(status).render('support/detail', {
    title: res.locals.t('support.detail.title'),
    request,
    canAnswer: mayAnswer(res.locals.viewer, request),
    values: page.values ?? { answer: '' },
    errors: page.errors ?? {},
    labels: FIELD_LABELS,
    notice: page.notice ?? null,
  });
}

/** GET /support/:requestId: the question and its answer; a manager of the team answers an open one here. */
export async function showRequest(services: Services, req: Request, res: SignedInResponse) {
  const { requestId } = paramsOr404(requestParams, req);
  const request = await services.support.openRequest(res.locals.viewer, requestId, services.clock.now().toJSDate());
  if (!request) throw notFound();
  renderRequest(services, res, request, 200, { notice: noticeFrom(req, NOTICES) });
}

/**
 * POST /support/:requestId/answer: the first answer closes it; a later one is told another manager was quicker.
 * The request is read without recording a view: the answer is audited, the POST shows nothing new
 * (a refused form re-renders what the manager already opened).
 */
export async function answerRequest(services: Services, req: Request, res: SignedInResponse) {
  const { requestId } = paramsOr404(requestParams, req);
  const request = await services.support.findRequest(res.locals.viewer, requestId);
  if (!request) throw notFound();
  if (res.locals.viewer.role !== 'manager' || res.locals.viewer.teamId !== request.teamId) throw notFound();
  await postForm(req, res, {
    parse: SupportAnswerForm,
    render: (status, state) => renderRequest(services, res, request, status, state),
    save: ({ answer }) => services.support.answerRequest(res.locals.viewer, request.id, answer, services.clock.now().toJSDate()),
    saved: (outcome) =>
      outcome.kind === 'answered'
        ? withNotice(`/support/${request.id}`, 'answered')
        : answeredWith(res.redirect(303, withNotice(`/support/${request.id}`, 'alreadyAnswered'))),
  });
}
