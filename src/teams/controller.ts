import { SUPPORTED_LOCALES } from '../config';
import type { Request } from 'express';
import { notFound } from '../lib/errors';
import { newSubmissionToken } from '../platform/submissions/service';
import type { Services } from '../services';
import { renderConflict } from '../web/conflict';
import type { SignedInResponse } from '../web/context';
import { paramsOr404 } from '../web/params';
import { answeredWith, noticeFrom, postForm, withNotice, type FormState } from '../web/post-form';
import { TeamCreateForm, TeamIdParam, TeamRenameForm } from './schemas';

const LABELS = { name: 'teams.fields.name', defaultLocale: 'teams.fields.defaultLocale' };
const TEAM_NOTICES = { created: 'teams.notices.created', renamed: 'teams.notices.renamed' } as const;

async function renderList({ teams }: Services, res: SignedInResponse, status: number, state: FormState) {
  res.status(status).render('teams/list', {
    title: res.locals.t('teams.title'),
    teams: await teams.teamsOverview(),
    values: state.values,
    errors: state.errors,
    labels: LABELS,
  });
}

/** GET /admin/teams: every team with its managers, coaches and open participants, and a form for a new one. */
export async function listTeams(services: Services, _req: Request, res: SignedInResponse) {
  await renderList(services, res, 200, { values: { name: '', submissionToken: newSubmissionToken() }, errors: {} });
}

/** POST /admin/teams */
export async function createTeam(services: Services, req: Request, res: SignedInResponse) {
  await postForm(req, res, {
    parse: TeamCreateForm,
    render: (status, state) => renderList(services, res, status, state),
    save: (form) => services.teams.createTeam(res.locals.viewer.userId, form, services.clock.now().toJSDate()),
    saved: (created) => withNotice(created.path, 'created'),
  });
}

async function renderTeam(services: Services, req: Request, res: SignedInResponse, status: number, state: FormState) {
  const { id } = paramsOr404(TeamIdParam, req);
  const found = await services.teams.teamWithMembers(id);
  if (!found) throw notFound();
  res.status(status).render('teams/team', {
    title: found.team.name,
    ...found,
    values:
      status === 200 && !state.values.version
        ? { name: found.team.name, defaultLocale: found.team.defaultLocale ?? '', version: String(found.team.version) }
        : state.values,
    errors: state.errors,
    labels: LABELS,
    locales: SUPPORTED_LOCALES,
    organisationLocale: services.config.defaultLocale,
    notice: noticeFrom(req, TEAM_NOTICES),
  });
}

/** GET /admin/teams/:id: its members (managers first) with their open participants, and its name to change. */
export async function showTeam(services: Services, req: Request, res: SignedInResponse) {
  await renderTeam(services, req, res, 200, { values: {}, errors: {} });
}

/** POST /admin/teams/:id: renames the team against the version the form was loaded at. */
export async function renameTeam(services: Services, req: Request, res: SignedInResponse) {
  const { id } = paramsOr404(TeamIdParam, req);
  await postForm(req, res, {
    parse: TeamRenameForm,
    render: (status, state) => renderTeam(services, req, res, status, state),
    save: (form) => services.teams.renameTeam(res.locals.viewer.userId, id, form, services.clock.now().toJSDate()),
    saved: (outcome, { values }) => {
      if (outcome.kind === 'saved') return withNotice(`/admin/teams/${id}`, 'renamed');
      const current = {
        name: outcome.current.name,
        defaultLocale: outcome.current.defaultLocale ?? '',
        version: String(outcome.current.version),
      };
      const page = { backHref: `/admin/teams/${id}`, action: `/admin/teams/${id}`, labels: LABELS, current, yours: values };
      return answeredWith(renderConflict(res, { ...page, resubmit: { ...values, version: current.version } }));
    },
  });
}
